package tailflow.agent.stages;

import static tailflow.agent.stages.TemplateFunctions.arity;
import static tailflow.agent.stages.TemplateFunctions.one;
import static tailflow.agent.stages.TemplateFunctions.str;
import static tailflow.agent.stages.TemplateFunctions.truth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tailflow.agent.stages.GoTemplate.ExecError;

/**
 * The part of sprig's text functions (which Promtail registers for templates) that works on
 * strings, numbers and lists: sprig's argument order, the string last so it can be piped in.
 */
final class SprigFunctions {
    private SprigFunctions() {}

    /** sprig's strval: fmt's %v. */
    static String strval(Object o) {
        return GoFormat.value(o);
    }

    /** cast.ToInt64: numbers, booleans and decimal text; anything else is 0. */
    static long toInt(Object o) {
        if (o instanceof Long l) {
            return l;
        }
        if (o instanceof Double d) {
            return d.longValue();
        }
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (o instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    static double toFloat(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    private static List<Object> list(Object o) throws ExecError {
        if (o instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        throw new ExecError("expected a list, found " + TemplateFunctions.typeName(o));
    }

    static void register(Map<String, TemplateFunctions.Fn> f) {
        f.put("upper", a -> str(one(a, "upper"), "upper").toUpperCase(Locale.ROOT));
        f.put("lower", a -> str(one(a, "lower"), "lower").toLowerCase(Locale.ROOT));
        f.put("title", a -> GoStrings.title(str(one(a, "title"), "title")));
        f.put("trim", a -> GoStrings.trimSpace(str(one(a, "trim"), "trim")));
        f.put("trimAll", a -> GoStrings.trim(s(a, 1, 2), s(a, 0, 2), true, true));
        f.put("trimPrefix", a -> {
            String p = s(a, 0, 2);
            String v = s(a, 1, 2);
            return v.startsWith(p) ? v.substring(p.length()) : v;
        });
        f.put("trimSuffix", a -> {
            String p = s(a, 0, 2);
            String v = s(a, 1, 2);
            return v.endsWith(p) ? v.substring(0, v.length() - p.length()) : v;
        });
        f.put("contains", a -> s(a, 1, 2).contains(s(a, 0, 2)));
        f.put("hasPrefix", a -> s(a, 1, 2).startsWith(s(a, 0, 2)));
        f.put("hasSuffix", a -> s(a, 1, 2).endsWith(s(a, 0, 2)));
        f.put("replace", a -> {
            arity(a, 3, 3, "replace");
            return GoStrings.replace(str(a.get(2), "replace"), str(a.get(0), "replace"), str(a.get(1), "replace"), -1);
        });
        f.put("repeat", a -> {
            arity(a, 2, 2, "repeat");
            return str(a.get(1), "repeat").repeat((int) Math.max(0, TemplateFunctions.integer(a.get(0), "repeat")));
        });
        f.put("substr", a -> {
            arity(a, 3, 3, "substr");
            String v = str(a.get(2), "substr");
            long start = toInt(a.get(0));
            long end = toInt(a.get(1));
            if (start < 0) {
                return v.substring(0, (int) Math.min(Math.max(end, 0), v.length()));
            }
            if (end < 0 || end > v.length()) {
                return start > v.length() ? "" : v.substring((int) start);
            }
            return start > end ? "" : v.substring((int) start, (int) end);
        });
        f.put("trunc", a -> {
            arity(a, 2, 2, "trunc");
            String v = str(a.get(1), "trunc");
            long c = toInt(a.get(0));
            if (c < 0 && v.length() + c > 0) {
                return v.substring((int) (v.length() + c));
            }
            return c >= 0 && v.length() > c ? v.substring(0, (int) c) : v;
        });
        f.put("nospace", a -> str(one(a, "nospace"), "nospace").replaceAll("\\s", ""));
        f.put("quote", a -> {
            List<String> out = new ArrayList<>();
            for (Object o : a) {
                if (o != null) {
                    StringBuilder sb = new StringBuilder();
                    GoJson.string(sb, strval(o));
                    out.add(sb.toString().replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&"));
                }
            }
            return String.join(" ", out);
        });
        f.put("squote", a -> {
            List<String> out = new ArrayList<>();
            for (Object o : a) {
                if (o != null) {
                    out.add("'" + strval(o) + "'");
                }
            }
            return String.join(" ", out);
        });
        f.put("cat", a -> {
            List<String> out = new ArrayList<>();
            for (Object o : a) {
                if (o != null) {
                    out.add(strval(o));
                }
            }
            return String.join(" ", out);
        });
        f.put("indent", a -> {
            arity(a, 2, 2, "indent");
            String pad = " ".repeat((int) toInt(a.get(0)));
            return pad + str(a.get(1), "indent").replace("\n", "\n" + pad);
        });
        f.put("nindent", a -> {
            arity(a, 2, 2, "nindent");
            String pad = " ".repeat((int) toInt(a.get(0)));
            return "\n" + pad + str(a.get(1), "nindent").replace("\n", "\n" + pad);
        });
        f.put("splitList", a -> new ArrayList<Object>(List.of(split(s(a, 1, 2), s(a, 0, 2)))));
        f.put("split", a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            String[] parts = split(s(a, 1, 2), s(a, 0, 2));
            for (int i = 0; i < parts.length; i++) {
                m.put("_" + i, parts[i]);
            }
            return m;
        });
        f.put("join", a -> {
            arity(a, 2, 2, "join");
            List<String> parts = new ArrayList<>();
            for (Object o : list(a.get(1))) {
                if (o != null) {
                    parts.add(strval(o));
                }
            }
            return String.join(str(a.get(0), "join"), parts);
        });
        f.put("toString", a -> strval(one(a, "toString")));
        f.put("atoi", a -> toInt(str(one(a, "atoi"), "atoi")));
        f.put("int", a -> toInt(one(a, "int")));
        f.put("int64", a -> toInt(one(a, "int64")));
        f.put("float64", a -> toFloat(one(a, "float64")));
        f.put("default", a -> {
            arity(a, 1, 2, "default");
            return a.size() == 2 && truth(a.get(1)) ? a.get(1) : a.get(0);
        });
        f.put("empty", a -> !truth(one(a, "empty")));
        f.put("coalesce", a -> {
            for (Object o : a) {
                if (truth(o)) {
                    return o;
                }
            }
            return null;
        });
        f.put("ternary", a -> {
            arity(a, 3, 3, "ternary");
            return truth(a.get(2)) ? a.get(0) : a.get(1);
        });
        f.put("b64enc", a -> Base64.getEncoder().encodeToString(str(one(a, "b64enc"), "b64enc").getBytes(StandardCharsets.UTF_8)));
        f.put("b64dec", a -> {
            try {
                return new String(Base64.getDecoder().decode(str(one(a, "b64dec"), "b64dec")), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        f.put("sha1sum", a -> digest("SHA-1", str(one(a, "sha1sum"), "sha1sum")));
        f.put("sha256sum", a -> digest("SHA-256", str(one(a, "sha256sum"), "sha256sum")));
        f.put("regexMatch", a -> TemplateFunctions.regex(s(a, 0, 2)).matcher(s(a, 1, 2)).find());
        f.put("regexFind", a -> {
            com.google.re2j.Matcher m = TemplateFunctions.regex(s(a, 0, 2)).matcher(s(a, 1, 2));
            return m.find() ? m.group() : "";
        });
        f.put("regexFindAll", a -> {
            arity(a, 3, 3, "regexFindAll");
            com.google.re2j.Matcher m = TemplateFunctions.regex(str(a.get(0), "regexFindAll")).matcher(str(a.get(1), "regexFindAll"));
            long n = toInt(a.get(2));
            List<Object> out = new ArrayList<>();
            while ((n < 0 || out.size() < n) && m.find()) {
                out.add(m.group());
            }
            return out;
        });
        f.put("regexQuoteMeta", a -> com.google.re2j.Pattern.quote(str(one(a, "regexQuoteMeta"), "regexQuoteMeta")));
        f.put("add", a -> {
            long sum = 0;
            for (Object o : a) {
                sum += toInt(o);
            }
            return sum;
        });
        f.put("add1", a -> toInt(one(a, "add1")) + 1);
        f.put("sub", a -> toInt(a.get(0)) - toInt(TemplateFunctions.two(a, "sub")[1]));
        f.put("mul", a -> {
            long p = 1;
            for (Object o : a) {
                p *= toInt(o);
            }
            return p;
        });
        f.put("div", a -> {
            long d = toInt(TemplateFunctions.two(a, "div")[1]);
            if (d == 0) {
                throw new ExecError("error calling div: integer divide by zero");
            }
            return toInt(a.get(0)) / d;
        });
        f.put("mod", a -> {
            long d = toInt(TemplateFunctions.two(a, "mod")[1]);
            if (d == 0) {
                throw new ExecError("error calling mod: integer divide by zero");
            }
            return toInt(a.get(0)) % d;
        });
        f.put("max", a -> a.stream().mapToLong(SprigFunctions::toInt).max().orElse(0));
        f.put("min", a -> a.stream().mapToLong(SprigFunctions::toInt).min().orElse(0));
        f.put("list", a -> new ArrayList<>(a));
        f.put("first", a -> {
            List<Object> l = list(one(a, "first"));
            return l.isEmpty() ? null : l.get(0);
        });
        f.put("last", a -> {
            List<Object> l = list(one(a, "last"));
            return l.isEmpty() ? null : l.get(l.size() - 1);
        });
        f.put("dict", a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i + 1 < a.size(); i += 2) {
                m.put(strval(a.get(i)), a.get(i + 1));
            }
            if (a.size() % 2 == 1) {
                m.put(strval(a.get(a.size() - 1)), "");
            }
            return m;
        });
        f.put("hasKey", a -> {
            arity(a, 2, 2, "hasKey");
            return a.get(0) instanceof Map<?, ?> m && m.containsKey(str(a.get(1), "hasKey"));
        });
        f.put("env", a -> {
            String v = System.getenv(str(one(a, "env"), "env"));
            return v == null ? "" : v;
        });
    }

    private static String s(List<Object> a, int i, int n) throws ExecError {
        arity(a, n, n, "function");
        return str(a.get(i), "function");
    }

    /** strings.Split: an empty separator splits into characters; a trailing separator gives an empty last part. */
    private static String[] split(String s, String sep) {
        if (sep.isEmpty()) {
            return s.codePoints().mapToObj(Character::toString).toArray(String[]::new);
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        while (true) {
            int at = s.indexOf(sep, i);
            if (at < 0) {
                out.add(s.substring(i));
                break;
            }
            out.add(s.substring(i, at));
            i = at + sep.length();
        }
        return out.toArray(new String[0]);
    }

    private static String digest(String algorithm, String input) throws ExecError {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new ExecError(algorithm + " not available");
        }
    }
}
