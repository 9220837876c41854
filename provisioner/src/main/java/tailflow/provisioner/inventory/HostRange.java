package tailflow.provisioner.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands Ansible host ranges: {@code node[01:20]} (zero padding kept), {@code web[a:c]},
 * {@code db[1:10:2]} (with a stride), several ranges in one name multiply out.
 */
final class HostRange {

    private HostRange() {}

    /** @throws IllegalArgumentException with a message naming the bad range */
    static List<String> expand(String pattern) {
        int open = pattern.indexOf('[');
        if (open < 0) {
            if (pattern.indexOf(']') >= 0) {
                throw new IllegalArgumentException("']' without '[' in host name '" + pattern + "'");
            }
            return List.of(pattern);
        }
        int close = pattern.indexOf(']', open);
        if (close < 0) {
            throw new IllegalArgumentException("unclosed '[' in host range '" + pattern + "'");
        }
        String head = pattern.substring(0, open);
        String tail = pattern.substring(close + 1);
        List<String> result = new ArrayList<>();
        for (String middle : expandOne(pattern.substring(open + 1, close), pattern)) {
            for (String rest : expand(tail)) {
                result.add(head + middle + rest);
            }
        }
        return result;
    }

    private static List<String> expandOne(String range, String pattern) {
        String[] parts = range.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("host range '[" + range + "]' in '" + pattern
                    + "' must be [start:end] or [start:end:step]");
        }
        int step = 1;
        if (parts.length == 3) {
            step = parseNumber(parts[2], pattern);
            if (step < 1) {
                throw new IllegalArgumentException("host range step must be >= 1 in '" + pattern + "'");
            }
        }
        String start = parts[0];
        String end = parts[1];
        List<String> out = new ArrayList<>();
        if (isLetter(start) && isLetter(end)) {
            if (start.charAt(0) > end.charAt(0)) {
                throw new IllegalArgumentException("host range start after end in '" + pattern + "'");
            }
            for (char c = start.charAt(0); c <= end.charAt(0); c += (char) step) {
                out.add(String.valueOf(c));
            }
            return out;
        }
        int from = parseNumber(start, pattern);
        int to = parseNumber(end, pattern);
        if (from > to) {
            throw new IllegalArgumentException("host range start after end in '" + pattern + "'");
        }
        // Ansible pads to the width of the start when it has leading zeros ("01" -> 01..20).
        int width = start.length() > 1 && start.startsWith("0") ? start.length() : 0;
        for (int i = from; i <= to; i += step) {
            out.add(width > 0 ? String.format("%0" + width + "d", i) : Integer.toString(i));
        }
        return out;
    }

    private static boolean isLetter(String s) {
        return s.length() == 1 && Character.isLetter(s.charAt(0));
    }

    private static int parseNumber(String s, String pattern) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' in host range '" + pattern
                    + "' is neither a number nor a single letter");
        }
    }
}
