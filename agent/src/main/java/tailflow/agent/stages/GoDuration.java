package tailflow.agent.stages;

/** Go's time.ParseDuration ("1h30m", "1.5s", "300ms", "-2h", "0"), as Promtail's stages parse durations. */
final class GoDuration {
    private GoDuration() {}

    /** Nanoseconds, or null when the text is not a Go duration. */
    static Long parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        int i = 0;
        boolean neg = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            neg = s.charAt(0) == '-';
            i++;
        }
        if (s.substring(i).equals("0")) {
            return 0L;
        }
        if (i == s.length()) {
            return null;
        }
        double total = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i || s.substring(start, i).equals(".")) {
                return null;
            }
            double v;
            try {
                v = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                return null;
            }
            int u = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            double unit = switch (s.substring(u, i)) {
                case "ns" -> 1;
                case "us", "µs", "μs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                default -> -1;
            };
            if (unit < 0) {
                return null;
            }
            total += v * unit;
        }
        if (total > Long.MAX_VALUE) {
            return null;
        }
        return neg ? -(long) total : (long) total;
    }
}
