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

    private FactsParser() {}

    public static HostFacts parse(String output) {
        Map<String, String> kv = new HashMap<>();
        Map<String, String> files = new TreeMap<>();
        Map<String, String> unit = new TreeMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String k = line.substring(0, eq);
            String v = line.substring(eq + 1).strip();
            if (k.startsWith("file:")) {
                files.put(k.substring(5), v);
            } else if (k.startsWith("unit_")) {
                unit.put(k.substring(5), v);
            } else {
                kv.put(k, v);
            }
        }
        if (!"1".equals(kv.get("tf_facts")) || !"1".equals(kv.get("tf_end"))) {
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
                Arrays.asList(groups.split("\\s+")).contains("adm"),
                unit);
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
