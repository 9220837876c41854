package tailflow.agent.relabel;

import com.google.re2j.Matcher;
import java.util.Map;

/**
 * Go's {@code regexp.Expand}, which Prometheus uses for {@code replacement} and templated
 * {@code target_label}: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}; {@code $$} is a
 * literal {@code $}. A name is the longest run of letters, digits and {@code _}, so {@code $1x}
 * means the group named {@code 1x} (empty), not group 1 then x. A group that does not exist or did
 * not take part expands to nothing; a {@code $} that starts no valid reference stays as written.
 */
public final class GoTemplate {
    private GoTemplate() {}

    /** @param m a matcher whose last match succeeded */
    public static String expand(String template, Matcher m, Map<String, Integer> namedGroups) {
        if (template.indexOf('$') < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 16);
        int i = 0;
        int n = template.length();
        while (i < n) {
            int dollar = template.indexOf('$', i);
            if (dollar < 0) {
                out.append(template, i, n);
                break;
            }
            out.append(template, i, dollar);
            i = dollar + 1;
            if (i < n && template.charAt(i) == '$') {
                out.append('$');
                i++;
                continue;
            }
            Reference ref = reference(template, i);
            if (ref == null) {
                out.append('$');
                continue;
            }
            i = ref.end;
            int group = ref.number >= 0 ? ref.number : namedGroups.getOrDefault(ref.name, -1);
            if (group >= 0 && group <= m.groupCount()) {
                String g = m.group(group);
                if (g != null) {
                    out.append(g);
                }
            }
        }
        return out.toString();
    }

    private record Reference(String name, int number, int end) {}

    /** The reference starting at {@code from} (just after a {@code $}), or null when malformed. */
    private static Reference reference(String s, int from) {
        int i = from;
        boolean brace = i < s.length() && s.charAt(i) == '{';
        if (brace) {
            i++;
        }
        int start = i;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
                break;
            }
            i += Character.charCount(cp);
        }
        if (i == start) {
            return null;
        }
        String name = s.substring(start, i);
        if (brace) {
            if (i >= s.length() || s.charAt(i) != '}') {
                return null;
            }
            i++;
        }
        return new Reference(name, number(name), i);
    }

    /** The group number a name stands for, or -1 (Go: ASCII digits, no leading zero, below 10^8). */
    private static int number(String name) {
        if (name.length() > 1 && name.charAt(0) == '0') {
            return -1;
        }
        int num = 0;
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c < '0' || c > '9' || num >= 100_000_000) {
                return -1;
            }
            num = num * 10 + (c - '0');
        }
        return num;
    }
}
