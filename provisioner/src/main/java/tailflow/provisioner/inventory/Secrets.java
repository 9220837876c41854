package tailflow.provisioner.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Masks values whose key looks secret (passwords, tokens, basic auth) before anything is printed. */
public final class Secrets {

    public static final String MASK = "********";
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(pass(word)?|secret|token|basic_auth|passphrase|credential|private_key_content).*");

    private Secrets() {}

    public static boolean isSecret(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /** A copy with secret values replaced by {@link #MASK}, recursively. */
    public static Object mask(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), isSecret(String.valueOf(k)) && v != null ? MASK : mask(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(mask(v)));
            return out;
        }
        return value;
    }

    /** Masks {@code key: value} lines of rendered YAML whose key looks secret. */
    public static String maskYamlLines(String yaml) {
        StringBuilder out = new StringBuilder();
        for (String line : yaml.split("\n", -1)) {
            int colon = line.indexOf(':');
            String key = colon > 0 ? line.substring(0, colon).strip().replaceFirst("^- ", "") : "";
            if (colon > 0 && isSecret(key) && !line.substring(colon + 1).isBlank()) {
                out.append(line, 0, colon + 1).append(' ').append(MASK);
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        return out.substring(0, out.length() - 1);
    }
}
