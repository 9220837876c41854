package tailflow.agent.stages;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tailflow.agent.stages.GoTemplate.ExecError;

/**
 * The functions a Promtail template can call: Go's builtins (and, or, not, len, index, print,
 * printf, println, eq, ne, lt, le, gt, ge, urlquery, html, js), Promtail's own (ToLower, ToUpper,
 * Replace, Trim, TrimLeft, TrimRight, TrimPrefix, TrimSuffix, TrimSpace, Hash, Sha2Hash,
 * regexReplaceAll, regexReplaceAllLiteral) and the string, math, list and encoding functions of
 * sprig's text map that fit strings (see {@link SprigFunctions}).
 */
final class TemplateFunctions {
    interface Fn {
        Object apply(List<Object> a) throws ExecError;
    }

    private static final Map<String, Fn> FUNCTIONS = new LinkedHashMap<>();

    static {
        FUNCTIONS.put("and", a -> {
            arity(a, 1, -1, "and");
            for (Object o : a) {
                if (!truth(o)) {
                    return o;
                }
            }
            return a.get(a.size() - 1);
        });
        FUNCTIONS.put("or", a -> {
            arity(a, 1, -1, "or");
            for (Object o : a) {
                if (truth(o)) {
                    return o;
                }
            }
            return a.get(a.size() - 1);
        });
        FUNCTIONS.put("not", a -> !truth(one(a, "not")));
        FUNCTIONS.put("len", a -> {
            Object o = one(a, "len");
            if (o instanceof String s) {
                return (long) ByteSize.utf8Length(s);
            }
            if (o instanceof List<?> l) {
                return (long) l.size();
            }
            if (o instanceof Map<?, ?> m) {
                return (long) m.size();
            }
            throw new ExecError("error calling len: len of type " + typeName(o));
        });
        FUNCTIONS.put("index", a -> {
            arity(a, 1, -1, "index");
            Object v = a.get(0);
            for (int i = 1; i < a.size(); i++) {
                Object k = a.get(i);
                if (v instanceof Map<?, ?> m) {
                    v = m.containsKey(String.valueOf(k)) ? m.get(String.valueOf(k)) : null;
                } else if (v instanceof List<?> l && k instanceof Long n) {
                    if (n < 0 || n >= l.size()) {
                        throw new ExecError("error calling index: index out of range: " + n);
                    }
                    v = l.get(n.intValue());
                } else if (v instanceof String s && k instanceof Long n) {
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    if (n < 0 || n >= b.length) {
                        throw new ExecError("error calling index: index out of range: " + n);
                    }
                    v = (long) (b[n.intValue()] & 0xff);
                } else {
                    throw new ExecError("error calling index: can't index item of type " + typeName(v));
                }
            }
            return v;
        });
        FUNCTIONS.put("print", a -> GoFormat.sprint(a));
        FUNCTIONS.put("println", a -> GoFormat.sprintln(a));
        FUNCTIONS.put("printf", a -> {
            arity(a, 1, -1, "printf");
            return GoFormat.sprintf(str(a.get(0), "printf"), a.subList(1, a.size()));
        });
        FUNCTIONS.put("eq", a -> {
            arity(a, 2, -1, "eq");
            for (int i = 1; i < a.size(); i++) {
                if (compare(a.get(0), a.get(i), "eq") == 0) {
                    return true;
                }
            }
            return false;
        });
        FUNCTIONS.put("ne", a -> compare(two(a, "ne")[0], two(a, "ne")[1], "ne") != 0);
        FUNCTIONS.put("lt", a -> ordered(a, "lt") < 0);
        FUNCTIONS.put("le", a -> ordered(a, "le") <= 0);
        FUNCTIONS.put("gt", a -> ordered(a, "gt") > 0);
        FUNCTIONS.put("ge", a -> ordered(a, "ge") >= 0);
        FUNCTIONS.put("urlquery", a -> java.net.URLEncoder.encode(GoFormat.sprint(a), StandardCharsets.UTF_8));
        FUNCTIONS.put("html", a -> GoFormat.sprint(a).replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;")
                .replace(">", "&gt;").replace("\"", "&#34;").replace("\u0000", "\uFFFD"));
        FUNCTIONS.put("js", a -> GoFormat.sprint(a).replace("\\", "\\\\").replace("'", "\\'").replace("\"", "\\\"")
                .replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026").replace("=", "\\u003D"));

        // Promtail's own (Go's strings package argument order: the string first)
        FUNCTIONS.put("ToLower", a -> str(one(a, "ToLower"), "ToLower").toLowerCase(Locale.ROOT));
        FUNCTIONS.put("ToUpper", a -> str(one(a, "ToUpper"), "ToUpper").toUpperCase(Locale.ROOT));
        FUNCTIONS.put("Replace", a -> {
            arity(a, 4, 4, "Replace");
            return GoStrings.replace(str(a.get(0), "Replace"), str(a.get(1), "Replace"), str(a.get(2), "Replace"),
                    integer(a.get(3), "Replace"));
        });
        FUNCTIONS.put("Trim", a -> GoStrings.trim(strs(a, 2, "Trim")[0], strs(a, 2, "Trim")[1], true, true));
        FUNCTIONS.put("TrimLeft", a -> GoStrings.trim(strs(a, 2, "TrimLeft")[0], strs(a, 2, "TrimLeft")[1], true, false));
        FUNCTIONS.put("TrimRight", a -> GoStrings.trim(strs(a, 2, "TrimRight")[0], strs(a, 2, "TrimRight")[1], false, true));
        FUNCTIONS.put("TrimPrefix", a -> {
            String[] s = strs(a, 2, "TrimPrefix");
            return s[0].startsWith(s[1]) ? s[0].substring(s[1].length()) : s[0];
        });
        FUNCTIONS.put("TrimSuffix", a -> {
            String[] s = strs(a, 2, "TrimSuffix");
            return s[0].endsWith(s[1]) ? s[0].substring(0, s[0].length() - s[1].length()) : s[0];
        });
        FUNCTIONS.put("TrimSpace", a -> GoStrings.trimSpace(str(one(a, "TrimSpace"), "TrimSpace")));
        FUNCTIONS.put("Hash", a -> hex("SHA3-256", strs(a, 2, "Hash")[0] + strs(a, 2, "Hash")[1]));
        FUNCTIONS.put("Sha2Hash", a -> hex("SHA-256", strs(a, 2, "Sha2Hash")[0] + strs(a, 2, "Sha2Hash")[1]));
        FUNCTIONS.put("regexReplaceAll", a -> {
            String[] s = strs(a, 3, "regexReplaceAll");
            return Re2.replaceAll(regex(s[0]), s[1], s[2], false);
        });
        FUNCTIONS.put("regexReplaceAllLiteral", a -> {
            String[] s = strs(a, 3, "regexReplaceAllLiteral");
            return Re2.replaceAll(regex(s[0]), s[1], s[2], true);
        });
        SprigFunctions.register(FUNCTIONS);
        SprigMoreFunctions.register(FUNCTIONS);
        SprigDates.register(FUNCTIONS);
        SprigCollections.register(FUNCTIONS);
        SprigStrings.register(FUNCTIONS, System::getenv); // Promtail's sprig.TxtFuncMap keeps env and expandenv
        SprigSemver.register(FUNCTIONS);
    }

    private TemplateFunctions() {}

    static boolean exists(String name) {
        return FUNCTIONS.containsKey(name);
    }

    static Object call(String name, List<Object> args) throws ExecError {
        Fn f = FUNCTIONS.get(name);
        if (f == null) {
            throw new ExecError("function \"" + name + "\" not defined");
        }
        List<Object> clean = new ArrayList<>(args.size());
        for (Object o : args) {
            clean.add(o == GoTemplate.NO_VALUE ? null : o);
        }
        return f.apply(clean);
    }

    static com.google.re2j.Pattern regex(String expression) throws ExecError {
        try {
            return com.google.re2j.Pattern.compile(expression);
        } catch (RuntimeException e) {
            throw new ExecError("bad regular expression " + expression + ": " + e.getMessage());
        }
    }

    /** Go's truth: false, 0, "", nil and empty maps and lists are false. */
    static boolean truth(Object v) {
        if (v == null || v == GoTemplate.NO_VALUE) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        if (v instanceof Double d) {
            return d != 0;
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    /** How an action prints a value (fmt.Print). */
    static String print(Object v) {
        // text/template digs a nil interface{} out to an invalid value: a function's nil (fromJson of
        // bad text, first of an empty list) prints like a missing key
        if (v == GoTemplate.NO_VALUE || v == null) {
            return "<no value>";
        }
        return GoFormat.value(v);
    }

    static String typeName(Object v) {
        if (v == null || v == GoTemplate.NO_VALUE) {
            return "nil";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Long) {
            return "int";
        }
        if (v instanceof Double) {
            return "float64";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof List) {
            return "[]interface {}";
        }
        if (v instanceof GoTime) {
            return "time.Time";
        }
        if (v instanceof SprigSemver.Version) {
            return "*semver.Version";
        }
        return v instanceof Map ? "map[string]interface {}" : v.getClass().getSimpleName();
    }

    static void arity(List<Object> a, int min, int max, String fn) throws ExecError {
        if (a.size() < min || (max >= 0 && a.size() > max)) {
            throw new ExecError("wrong number of args for " + fn + ": want " + min + (max == min ? "" : "+") + " got "
                    + a.size());
        }
    }

    static Object one(List<Object> a, String fn) throws ExecError {
        arity(a, 1, 1, fn);
        return a.get(0);
    }

    static Object[] two(List<Object> a, String fn) throws ExecError {
        arity(a, 2, 2, fn);
        return new Object[] {a.get(0), a.get(1)};
    }

    /** A Go string parameter: anything but a string is an error, as in Go. */
    static String str(Object o, String fn) throws ExecError {
        if (o instanceof String s) {
            return s;
        }
        throw new ExecError("error calling " + fn + ": expected string; found " + print(o));
    }

    static String[] strs(List<Object> a, int n, String fn) throws ExecError {
        arity(a, n, n, fn);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = str(a.get(i), fn);
        }
        return out;
    }

    static long integer(Object o, String fn) throws ExecError {
        if (o instanceof Long l) {
            return l;
        }
        throw new ExecError("error calling " + fn + ": expected integer; found " + print(o));
    }

    private static String hex(String algorithm, String input) throws ExecError {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new ExecError(algorithm + " not available: " + e.getMessage());
        }
    }

    /** eq/ne: basic values of the same kind (integers and floats do not mix, as in Go). */
    private static int compare(Object x, Object y, String fn) throws ExecError {
        if (x == null || y == null) {
            if (x == null && y == null) {
                return 0;
            }
            throw new ExecError("error calling " + fn + ": incompatible types for comparison");
        }
        if (x instanceof String a && y instanceof String b) {
            return a.compareTo(b);
        }
        if (x instanceof Long a && y instanceof Long b) {
            return Long.compare(a, b);
        }
        if (x instanceof Double a && y instanceof Double b) {
            return Double.compare(a, b);
        }
        if (x instanceof Boolean a && y instanceof Boolean b) {
            return a.equals(b) ? 0 : 1;
        }
        throw new ExecError("error calling " + fn + ": incompatible types for comparison");
    }

    private static int ordered(List<Object> a, String fn) throws ExecError {
        Object[] xy = two(a, fn);
        if (xy[0] instanceof Boolean || xy[0] instanceof Map || xy[0] instanceof List) {
            throw new ExecError("error calling " + fn + ": invalid type for comparison");
        }
        return compare(xy[0], xy[1], fn);
    }
}
