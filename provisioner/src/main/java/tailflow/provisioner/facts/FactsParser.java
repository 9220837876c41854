package tailflow.provisioner.facts;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Turns the facts script's output into {@link HostFacts}; refuses truncated output. */
public final class FactsParser {

    /** First and last line the facts script prints: output without both was cut short. */
    public static final String BEGIN = "tf_facts=1";
    public static final String END = "tf_end=1";
    private static final String BEGIN_KEY = "tf_facts";
    private static final String END_KEY = "tf_end";

    private FactsParser() {}

    public static HostFacts parse(String output) {
        Map<String, String> kv = new HashMap<>();
        Map<String, String> files = new TreeMap<>();
        Map<String, String> unit = new TreeMap<>();
        for (Map.Entry<String, String> e : KeyValueLines.parse(output).entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (k.startsWith("file:")) {
                files.put(k.substring(5), v);
            } else if (k.startsWith("unit_")) {
                unit.put(k.substring(5), v);
            } else {
                kv.put(k, v);
            }
        }
        if (!"1".equals(kv.get(BEGIN_KEY)) || !"1".equals(kv.get(END_KEY))) {
            throw new IllegalArgumentException("fact gathering output is incomplete:\n" + output);
        }
        String java = kv.getOrDefault("java", "");
        String groups = kv.getOrDefault("user_groups", "");
        String current = kv.getOrDefault("current", "");
        String releases = kv.getOrDefault("releases", "").strip();
        return new HostFacts(
                kv.getOrDefault("arch", ""),
                kv.getOrDefault("hostname", ""),
                kv.getOrDefault("os_id", ""),
                kv.getOrDefault("os_version", ""),
                kv.getOrDefault("os_like", ""),
                javaMajor(java),
                java.isEmpty() ? "none" : java,
                "yes".equals(kv.get("libpcap")),
                kv.getOrDefault("pkg", ""),
                current.isEmpty() ? Optional.empty() : Optional.of(current),
                releases.isEmpty() ? List.of() : Arrays.asList(releases.split("\\s+")),
                files,
                decode(kv.get("config")),
                kv.getOrDefault("config_mode", ""),
                decode(kv.get("unit")),
                decode(kv.get("dropin")),
                "yes".equals(kv.get("user")),
                groups.isBlank() ? List.of() : Arrays.asList(groups.strip().split("\\s+")),
                unit,
                packageFacts(kv));
    }

    /** The dpkg lines: {@code dpkg}, {@code deb_status}, {@code deb_version}, {@code deb_changed}, {@code deb_kept=VERSION SHA256}. */
    static PackageFacts packageFacts(Map<String, String> kv) {
        if (!"yes".equals(kv.get("dpkg"))) {
            return PackageFacts.NONE;
        }
        String version = kv.getOrDefault("deb_version", "").strip();
        String changed = kv.getOrDefault("deb_changed", "").strip();
        String[] kept = kv.getOrDefault("deb_kept", "").strip().split("\\s+");
        boolean hasKept = kept.length == 2 && !kept[0].isEmpty();
        return new PackageFacts(true, kv.getOrDefault("deb_status", "").strip(),
                version.isEmpty() ? Optional.empty() : Optional.of(version),
                changed.isEmpty() ? List.of() : Arrays.asList(changed.split("\\s+")),
                hasKept ? Optional.of(kept[0]) : Optional.empty(), hasKept ? kept[1] : "");
    }

    /** "17.0.9" -> 17, "1.8.0_392" -> 8, "21" -> 21. */
    static Optional<Integer> javaMajor(String version) {
        if (version == null || version.isBlank()) {
            return Optional.empty();
        }
        String[] parts = version.split("[._+-]");
        try {
            int first = Integer.parseInt(parts[0]);
            if (first == 1 && parts.length > 1) {
                return Optional.of(Integer.parseInt(parts[1]));
            }
            return Optional.of(first);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> decode(String b64) {
        if (b64 == null || b64.equals("-")) {
            return Optional.empty();
        }
        return Optional.of(new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
    }
}
