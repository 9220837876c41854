package tailflow.agent.stages;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import tailflow.agent.pipeline.Labels;

/**
 * The match stage's LogQL: a stream selector {@code {name="v", name!="v", name=~"re", name!~"re"}}
 * (at least one matcher; regexes anchored; a missing label is the empty value) followed by line
 * filters {@code |= "text"}, {@code != "text"}, {@code |~ "re"}, {@code !~ "re"}, all of which must hold.
 */
public record Selector(String text, List<LabelMatcher> matchers, List<LineFilter> filters) {

    public enum Op { EQ, NEQ, RE, NRE }

    public record LabelMatcher(String name, Op op, String value, Pattern regex) {
        boolean matches(Labels labels) {
            String v = labels.get(name);
            String actual = v == null ? "" : v;
            return switch (op) {
                case EQ -> actual.equals(value);
                case NEQ -> !actual.equals(value);
                case RE -> regex.matches(actual);
                case NRE -> !regex.matches(actual);
            };
        }
    }

    public record LineFilter(Op op, String value, Pattern regex) {
        boolean matches(String line) {
            return switch (op) {
                case EQ -> line.contains(value);
                case NEQ -> !line.contains(value);
                case RE -> regex.matcher(line).find();
                case NRE -> !regex.matcher(line).find();
            };
        }
    }

    public boolean matches(Labels labels, String line) {
        for (LabelMatcher m : matchers) {
            if (!m.matches(labels)) {
                return false;
            }
        }
        for (LineFilter f : filters) {
            if (!f.matches(line)) {
                return false;
            }
        }
        return true;
    }

    /** Parses a selector; a syntax error throws IllegalArgumentException naming the column. */
    public static Selector parse(String text) {
        return new Parser(text).parse();
    }

    private static final class Parser {
        private final String s;
        private int p;

        Parser(String s) {
            this.s = s;
        }

        Selector parse() {
            List<LabelMatcher> matchers = new ArrayList<>();
            List<LineFilter> filters = new ArrayList<>();
            skipSpace();
            expect("{");
            do {
                skipSpace();
                String name = identifier();
                skipSpace();
                Op op = operator(true);
                skipSpace();
                String value = string();
                Pattern re = op == Op.RE || op == Op.NRE ? regex("^(?s:" + value + ")$", value) : null;
                matchers.add(new LabelMatcher(name, op, value, re));
                skipSpace();
            } while (accept(","));
            expect("}");
            skipSpace();
            while (p < s.length()) {
                Op op = operator(false);
                skipSpace();
                String value = string();
                Pattern re = op == Op.RE || op == Op.NRE ? regex(value, value) : null;
                filters.add(new LineFilter(op, value, re));
                skipSpace();
            }
            return new Selector(s, List.copyOf(matchers), List.copyOf(filters));
        }

        private Pattern regex(String expression, String shown) {
            try {
                return Pattern.compile(expression);
            } catch (RuntimeException e) {
                throw error("invalid regular expression '" + shown + "': " + e.getMessage());
            }
        }

        private Op operator(boolean label) {
            String[] ops = label ? new String[] {"=~", "!~", "!=", "="} : new String[] {"|=", "|~", "!=", "!~"};
            for (String o : ops) {
                if (s.startsWith(o, p)) {
                    p += o.length();
                    return switch (o) {
                        case "=", "|=" -> Op.EQ;
                        case "!=" -> Op.NEQ;
                        case "=~", "|~" -> Op.RE;
                        default -> Op.NRE;
                    };
                }
            }
            throw error(label ? "expected =, !=, =~ or !~" : "expected a line filter |= != |~ !~ followed by a string");
        }

        private String identifier() {
            int start = p;
            while (p < s.length() && (Character.isLetterOrDigit(s.charAt(p)) || s.charAt(p) == '_')) {
                p++;
            }
            if (start == p || Character.isDigit(s.charAt(start))) {
                throw error("expected a label name");
            }
            return s.substring(start, p);
        }

        /** A Go string literal: "..." with escapes, or `...` raw. */
        private String string() {
            if (p < s.length() && s.charAt(p) == '`') {
                int end = s.indexOf('`', p + 1);
                if (end < 0) {
                    throw error("unterminated raw string");
                }
                String v = s.substring(p + 1, end);
                p = end + 1;
                return v;
            }
            if (p >= s.length() || s.charAt(p) != '"') {
                throw error("expected a quoted string");
            }
            StringBuilder v = new StringBuilder();
            p++;
            while (p < s.length() && s.charAt(p) != '"') {
                char c = s.charAt(p++);
                if (c != '\\') {
                    v.append(c);
                    continue;
                }
                if (p >= s.length()) {
                    break;
                }
                try {
                    p = GoEscape.decode(s, p, v);
                } catch (IllegalArgumentException bad) {
                    boolean unknownLetter = !bad.getMessage().equals("invalid escape in string");
                    throw error(bad.getMessage() + (unknownLetter ? " (write \\\\ for a backslash)" : ""));
                }
            }
            if (p >= s.length()) {
                throw error("unterminated string");
            }
            p++;
            return v.toString();
        }

        private void expect(String t) {
            if (!accept(t)) {
                throw error("expected " + t);
            }
        }

        private boolean accept(String t) {
            if (s.startsWith(t, p)) {
                p += t.length();
                return true;
            }
            return false;
        }

        private void skipSpace() {
            while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
                p++;
            }
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException("invalid selector syntax for match stage at column " + (p + 1) + ": "
                    + message + " (selector " + s + ")");
        }
    }
}
