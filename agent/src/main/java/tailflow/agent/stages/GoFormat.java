package tailflow.agent.stages;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Go's fmt for template values: Sprint, Sprintln, Sprintf (common verbs, flags, width, precision) and %v. */
final class GoFormat {
    private GoFormat() {}

    /** %v of a value. */
    static String value(Object v) {
        if (v == null) {
            return "<nil>";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Double d) {
            return floatG(d, -1);
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : " ").append(value(l.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("map[");
            boolean first = true;
            for (Map.Entry<String, Object> e : new TreeMap<String, Object>(castMap(m)).entrySet()) {
                sb.append(first ? "" : " ").append(e.getKey()).append(':').append(value(e.getValue()));
                first = false;
            }
            return sb.append(']').toString();
        }
        return String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /**
     * Go's %g / %v of a float64: shortest digits, exponent below 1e-4 and from 1e6 (strconv's 'g'
     * with precision -1 decides with precision 6: 1234567.0 prints as 1.234567e+06).
     */
    static String floatG(double d, int precision) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (precision >= 0) {
            String s = String.format("%." + Math.max(precision, 1) + "g", d);
            return s;
        }
        double abs = Math.abs(d);
        if (abs != 0 && (abs < 1e-4 || abs >= 1e6)) {
            return GoJson.exponential(d);
        }
        return Values.formatFloat(d);
    }

    static String sprint(List<Object> args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (i > 0 && !(a instanceof String) && !(args.get(i - 1) instanceof String)) {
                sb.append(' ');
            }
            sb.append(value(a));
        }
        return sb.toString();
    }

    static String sprintln(List<Object> args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            sb.append(i == 0 ? "" : " ").append(value(args.get(i)));
        }
        return sb.append('\n').toString();
    }

    static String sprintf(String format, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int argi = 0;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            boolean minus = false;
            boolean plus = false;
            boolean zero = false;
            boolean space = false;
            boolean sharp = false;
            for (; i < format.length(); i++) {
                char f = format.charAt(i);
                if (f == '-') {
                    minus = true;
                } else if (f == '+') {
                    plus = true;
                } else if (f == '0') {
                    zero = true;
                } else if (f == ' ') {
                    space = true;
                } else if (f == '#') {
                    sharp = true;
                } else {
                    break;
                }
            }
            int width = -1;
            int ws = i;
            while (i < format.length() && Character.isDigit(format.charAt(i))) {
                i++;
            }
            if (i > ws) {
                width = Integer.parseInt(format.substring(ws, i));
            }
            int precision = -1;
            if (i < format.length() && format.charAt(i) == '.') {
                i++;
                int ps = i;
                while (i < format.length() && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                precision = i > ps ? Integer.parseInt(format.substring(ps, i)) : 0;
            }
            if (i >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            char verb = format.charAt(i++);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (argi >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            Object a = args.get(argi++);
            String s = verb(verb, a, precision, plus, space, sharp);
            boolean numeric = a instanceof Long || a instanceof Double;
            out.append(pad(s, width, minus, zero && numeric && !minus));
        }
        if (argi < args.size()) {
            out.append("%!(EXTRA ");
            for (int k = argi; k < args.size(); k++) {
                out.append(k == argi ? "" : ", ").append(TemplateFunctions.typeName(args.get(k))).append('=')
                        .append(value(args.get(k)));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static String verb(char verb, Object a, int precision, boolean plus, boolean space, boolean sharp) {
        switch (verb) {
            case 'v', 's' -> {
                String s = value(a);
                if (verb == 's' && !(a instanceof String) && (a instanceof Long || a instanceof Double || a instanceof Boolean)) {
                    return "%!s(" + TemplateFunctions.typeName(a) + "=" + s + ")";
                }
                return precision >= 0 && s.length() > precision ? s.substring(0, precision) : s;
            }
            case 'q' -> {
                if (a instanceof String s) {
                    StringBuilder sb = new StringBuilder();
                    GoJson.string(sb, s);
                    return sb.toString().replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&");
                }
                return a instanceof Long l ? "'" + new String(Character.toChars(l.intValue())) + "'" : bad(verb, a);
            }
            case 'd' -> {
                if (a instanceof Long l) {
                    return (plus && l >= 0 ? "+" : space && l >= 0 ? " " : "") + l;
                }
                return bad(verb, a);
            }
            case 'f', 'F', 'e', 'E', 'g', 'G' -> {
                double d;
                if (a instanceof Double x) {
                    d = x;
                } else {
                    return bad(verb, a);
                }
                String s = switch (verb) {
                    case 'f', 'F' -> String.format("%." + (precision < 0 ? 6 : precision) + "f", d);
                    case 'e', 'E' -> String.format("%." + (precision < 0 ? 6 : precision) + "e", d);
                    default -> floatG(d, precision);
                };
                s = verb == 'E' || verb == 'G' ? s.toUpperCase(java.util.Locale.ROOT) : s;
                return (plus && d >= 0 ? "+" : space && d >= 0 ? " " : "") + s;
            }
            case 'x', 'X' -> {
                String s;
                if (a instanceof Long l) {
                    s = Long.toHexString(l);
                } else if (a instanceof String str) {
                    s = java.util.HexFormat.of().formatHex(str.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                } else {
                    return bad(verb, a);
                }
                s = (sharp ? "0x" : "") + s;
                return verb == 'X' ? s.toUpperCase(java.util.Locale.ROOT) : s;
            }
            case 't' -> {
                return a instanceof Boolean b ? b.toString() : bad(verb, a);
            }
            case 'c' -> {
                return a instanceof Long l ? new String(Character.toChars(l.intValue())) : bad(verb, a);
            }
            case 'T' -> {
                return TemplateFunctions.typeName(a);
            }
            default -> {
                return bad(verb, a);
            }
        }
    }

    private static String bad(char verb, Object a) {
        return "%!" + verb + "(" + TemplateFunctions.typeName(a) + "=" + value(a) + ")";
    }

    private static String pad(String s, int width, boolean left, boolean zeros) {
        if (width < 0 || s.length() >= width) {
            return s;
        }
        String fill = (zeros ? "0" : " ").repeat(width - s.length());
        if (left) {
            return s + fill;
        }
        if (zeros && (s.startsWith("-") || s.startsWith("+"))) {
            return s.charAt(0) + fill + s.substring(1);
        }
        return fill + s;
    }
}
