package tailflow.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one rule for what is secret and how it is shown, for everything that prints a config or
 * variables: {@code /config}, {@code --print-config-stderr}, {@code --dry-run}, and the
 * provisioner's {@code --diff} and {@code inventory --list}. The mask is Promtail's
 * ({@code <secret>}).
 *
 * <p>A name is secret when it mentions a password, passphrase, secret, token, credential or
 * private key content, or is a {@code pass} (Ansible's {@code ansible_become_pass}), unless it
 * names a file ({@code password_file}: a path, shown). Names are compared in snake case, so a
 * record component {@code bearerToken} and a key {@code bearer_token} are the same. Under a
 * {@code basic_auth} key a map shows only its username; a scalar ({@code user:pass}) is masked.
 */
public final class Secrets {
    public static final String MASK = "<secret>";

    private static final Pattern SECRET = Pattern.compile(
            ".*(password|passwd|passphrase|secret|token|credential|private_key_content).*|(.*_)?pass");
    private static final Pattern FILE = Pattern.compile(".*_?file");

    private Secrets() {}

    /** Whether a key or record component of this name holds a secret. */
    public static boolean isSecret(String name) {
        String n = snake(name);
        return SECRET.matcher(n).matches() && !FILE.matcher(n).matches();
    }

    /** Whether a value under this name is basic auth: a map shows its username only. */
    static boolean isBasicAuth(String name) {
        return snake(name).endsWith("basic_auth");
    }

    /** A copy of maps and lists with secret values replaced by {@link #MASK}, recursively. */
    public static Object mask(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), maskUnder(String.valueOf(k), v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(mask(v)));
            return out;
        }
        return value;
    }

    /** {@code value} as it may be shown under the key {@code name}. */
    public static Object maskUnder(String name, Object value) {
        if (value == null) {
            return null;
        }
        if (isSecret(name)) {
            return MASK;
        }
        if (isBasicAuth(name)) {
            if (value instanceof Map<?, ?> map) {
                Map<String, Object> out = new LinkedHashMap<>();
                map.forEach((k, v) -> out.put(String.valueOf(k), "username".equals(snake(String.valueOf(k))) ? v : MASK));
                return out;
            }
            return MASK;
        }
        return mask(value);
    }

    /**
     * Rendered YAML with the values of secret keys masked, line by line ({@code key: value} and
     * {@code - key: value}); a {@code basic_auth: user:pass} line is masked, a nested one shows its username.
     */
    public static String maskYamlLines(String yaml) {
        StringBuilder out = new StringBuilder();
        for (String line : yaml.split("\n", -1)) {
            int colon = line.indexOf(':');
            String key = colon > 0 ? line.substring(0, colon).strip().replaceFirst("^- ", "") : "";
            boolean hasValue = colon > 0 && !line.substring(colon + 1).isBlank();
            if (hasValue && (isSecret(key) || isBasicAuth(key))) {
                out.append(line, 0, colon + 1).append(' ').append(MASK);
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    /** {@code bearerToken} and {@code bearer_token} alike: lower snake case (the form /config shows names in). */
    public static String snake(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
