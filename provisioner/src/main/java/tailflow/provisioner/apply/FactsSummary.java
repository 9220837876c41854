package tailflow.provisioner.apply;

import java.util.LinkedHashMap;
import java.util.Map;
import tailflow.provisioner.facts.HostFacts;

/** The few facts worth printing and recording per host. */
public final class FactsSummary {

    private FactsSummary() {}

    public static Map<String, String> of(HostFacts f) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("hostname", f.hostname());
        m.put("arch", f.arch());
        m.put("os", f.osId() + " " + f.osVersion());
        m.put("java", f.javaDescription());
        m.put("libpcap", f.libpcap() ? "yes" : "no");
        m.put("release", f.installedRelease().orElse(""));
        m.put("unit", f.unit("ActiveState") + "/" + f.unit("SubState"));
        m.put("enabled", f.unit("UnitFileState"));
        return m;
    }
}
