package tailflow.agent.stages;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Promtail's {@code logfmt} stage: {@code mapping} names extracted keys after logfmt keys (an empty
 * value means the same name). Decoding follows go-logfmt: keys are runs of characters above space
 * other than {@code =} and {@code "}, values bare or double-quoted with Go escapes, a key alone has
 * an empty value; at the first syntax error decoding stops, keeping what was extracted before it.
 */
public final class LogfmtStage implements Step {

    /** @param inverse logfmt key to extracted name */
    public record Spec(Map<String, String> inverse, Optional<String> source) implements StageSpec {
        public static Spec of(Map<String, String> mapping, Optional<String> source) {
            if (mapping.isEmpty()) {
                throw new IllegalArgumentException("logfmt mapping is required (mapping: {name: key})");
            }
            Map<String, String> inverse = new HashMap<>();
            mapping.forEach((name, key) -> inverse.put(key == null || key.isEmpty() ? name : key, name));
            return new Spec(Map.copyOf(inverse), Source.check(source));
        }

        @Override
        public String name() {
            return "logfmt";
        }

        @Override
        public Step create(StageContext ctx) {
            return new LogfmtStage(this);
        }
    }

    private final Spec spec;

    LogfmtStage(Spec spec) {
        this.spec = spec;
    }

    @Override
    public void process(Item item, Downstream out) {
        String input = Source.input(item, spec.source);
        if (input != null) {
            decode(input, (k, v) -> {
                String name = spec.inverse.get(k);
                if (name != null) {
                    item.extracted.put(name, v);
                }
            });
        }
        out.emit(item);
    }

    interface Pairs {
        void pair(String key, String value);
    }

    /** Decodes logfmt records; returns false when a syntax error stopped it. */
    static boolean decode(String s, Pairs out) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c <= ' ') {
                i++;
                continue;
            }
            int ks = i;
            while (i < n && s.charAt(i) > ' ' && s.charAt(i) != '=' && s.charAt(i) != '"') {
                i++;
            }
            if (i < n && s.charAt(i) == '"') {
                return false;
            }
            if (i == ks) {
                return false; // '=' with no key
            }
            String key = s.substring(ks, i);
            if (i >= n || s.charAt(i) != '=') {
                out.pair(key, "");
                continue;
            }
            i++;
            if (i < n && s.charAt(i) == '"') {
                StringBuilder v = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char q = s.charAt(i);
                    if (q == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (q == '\\') {
                        if (i + 1 >= n) {
                            return false;
                        }
                        int used = unescape(s, i + 1, v);
                        if (used < 0) {
                            return false;
                        }
                        i += 1 + used;
                    } else {
                        v.append(q);
                        i++;
                    }
                }
                if (!closed) {
                    return false;
                }
                out.pair(key, v.toString());
            } else {
                int vs = i;
                while (i < n && s.charAt(i) > ' ') {
                    char b = s.charAt(i);
                    if (b == '=' || b == '"') {
                        return false;
                    }
                    i++;
                }
                out.pair(key, s.substring(vs, i));
            }
        }
        return true;
    }

    /** One Go string escape after a backslash; the characters used, or -1. */
    private static int unescape(String s, int i, StringBuilder v) {
        char e = s.charAt(i);
        switch (e) {
            case '"', '\\', '/', '\'' -> v.append(e); // go-logfmt's unquoteBytes also takes \'
            case 'b' -> v.append('\b');
            case 'f' -> v.append('\f');
            case 'n' -> v.append('\n');
            case 'r' -> v.append('\r');
            case 't' -> v.append('\t');
            case 'u' -> {
                if (i + 5 > s.length()) {
                    return -1;
                }
                try {
                    v.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                } catch (NumberFormatException x) {
                    return -1;
                }
                return 5;
            }
            default -> {
                return -1;
            }
        }
        return 1;
    }
}
