package tailflow.agent.config;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Expands {@code ${VAR}} and {@code ${VAR:-default}} in config values, as Promtail does with
 * {@code -config.expand-env=true}, and {@code $$} to a literal {@code $} (Promtail's escape).
 *
 * <p>Differences from Promtail, on purpose: a {@code $} followed by anything other than {@code {}
 * or {@code $} stays as written (so passwords like {@code pa$word} survive even though tailflow
 * expands by default), and a variable that is not set and has no default is an error instead of
 * silently becoming empty; {@code ${1}} (all digits, a regex group reference) stays as written. {@code HOSTNAME} falls back to the machine's hostname, because shells
 * do not export it and systemd does not set it.
 */
public final class EnvExpander {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern GROUP = Pattern.compile("[0-9]+");

    private final Map<String, String> env;
    private final Supplier<String> hostname;

    public EnvExpander(Map<String, String> env, Supplier<String> hostname) {
        this.env = Map.copyOf(env);
        this.hostname = Objects.requireNonNull(hostname);
    }

    /** A malformed or unresolvable reference at {@code offset} in the expanded text's source. */
    public static final class ExpansionException extends Exception {
        private final int offset;

        ExpansionException(int offset, String message) {
            super(message);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    public String expand(String text) throws ExpansionException {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                i++;
            } else if (text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (text.charAt(i + 1) == '{') {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    throw new ExpansionException(i, "expected '}' to close '${' (write $${ for a literal ${)");
                }
                String reference = text.substring(i + 2, close);
                // ${1} is a regex group in a replace or template (Promtail's own docs), never a variable: kept
                out.append(GROUP.matcher(reference).matches() ? "${" + reference + "}" : resolve(reference, i));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private String resolve(String reference, int offset) throws ExpansionException {
        int sep = reference.indexOf(":-");
        String name = sep < 0 ? reference : reference.substring(0, sep);
        if (!NAME.matcher(name).matches()) {
            throw new ExpansionException(offset, "expected ${NAME} or ${NAME:-default} with NAME made of letters,"
                    + " digits and _, found ${" + reference + "}");
        }
        String value = env.get(name);
        if (value == null && name.equals("HOSTNAME")) {
            value = hostname.get();
        }
        if (sep >= 0) {
            return value == null || value.isEmpty() ? reference.substring(sep + 2) : value;
        }
        if (value == null) {
            throw new ExpansionException(offset, "environment variable " + name
                    + " is not set (set it, or give a default: ${" + name + ":-value})");
        }
        return value;
    }
}
