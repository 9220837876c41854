package tailflow.agent.stages;

import java.math.BigDecimal;

/** Promtail's conversions of extracted values (util.go getString, metrics.go getFloat). */
final class Values {
    private Values() {}

    /** The string form, or null for a value that has none (a JSON null). */
    static String string(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Double d) {
            return formatFloat(d);
        }
        if (v instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (v instanceof Number n) {
            return n.toString();
        }
        return null;
    }

    /** Go's strconv.FormatFloat(f, 'f', -1, 64): shortest digits, never an exponent. */
    static String formatFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    /** A number for the metrics stage: numbers, booleans, numeric text or a Go duration (as seconds); NaN if none. */
    static double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof String s) {
            try {
                return parseGoFloat(s);
            } catch (NumberFormatException e) {
                Long nanos = GoDuration.parse(s);
                return nanos == null ? Double.NaN : nanos / 1e9;
            }
        }
        return Double.NaN;
    }

    /** strconv.ParseFloat: Java's parser minus what Go refuses (trailing d/f, surrounding spaces, hex without p). */
    static double parseGoFloat(String s) {
        if (s.isEmpty() || s.strip().length() != s.length() || s.endsWith("d") || s.endsWith("D")
                || s.endsWith("f") || s.endsWith("F")) {
            throw new NumberFormatException(s);
        }
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(s.replace("_", ""));
        };
    }
}
