package tailflow.agent.stages;

import static tailflow.agent.stages.SprigFunctions.strval;
import static tailflow.agent.stages.SprigFunctions.toFloat;
import static tailflow.agent.stages.SprigFunctions.toInt;
import static tailflow.agent.stages.TemplateFunctions.arity;
import static tailflow.agent.stages.TemplateFunctions.one;
import static tailflow.agent.stages.TemplateFunctions.str;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.Adler32;
import tailflow.agent.stages.GoTemplate.ExecError;

/**
 * More of sprig's TxtFuncMap, which Promtail's template stage registers whole (template.go:
 * functionMap = sprig.TxtFuncMap()): float math, lists, dicts, paths, types and a few string
 * helpers, with sprig v3's argument order and results. A template using one of them is no longer
 * a config error ("function not defined") where Promtail runs it.
 */
final class SprigMoreFunctions {
    private SprigMoreFunctions() {}

    static void register(Map<String, TemplateFunctions.Fn> f) {
        strings(f);
        floats(f);
        lists(f);
        dictsPathsTypes(f);
    }

    private static void strings(Map<String, TemplateFunctions.Fn> f) {
        f.put("plural", a -> {
            arity(a, 3, 3, "plural");
            return toInt(a.get(2)) == 1 ? str(a.get(0), "plural") : str(a.get(1), "plural");
        });
        f.put("abbrev", a -> {
            arity(a, 2, 2, "abbrev");
            long width = toInt(a.get(0));
            String s = str(a.get(1), "abbrev");
            // goutils.Abbreviate: untouched when short enough (or width < 4), else cut with "..."
            return width < 4 || s.length() <= width ? s : s.substring(0, (int) width - 3) + "...";
        });
        f.put("initials", a -> {
            StringBuilder sb = new StringBuilder();
            for (String w : str(one(a, "initials"), "initials").trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    sb.appendCodePoint(w.codePointAt(0));
                }
            }
            return sb.toString();
        });
        f.put("trimall", a -> {
            arity(a, 2, 2, "trimall");
            return GoStrings.trim(str(a.get(1), "trimall"), str(a.get(0), "trimall"), true, true);
        });
        f.put("splitn", a -> {
            arity(a, 3, 3, "splitn");
            String sep = str(a.get(0), "splitn");
            long n = toInt(a.get(1));
            String s = str(a.get(2), "splitn");
            // strings.SplitN: n == 0 nothing, n < 0 every part, else at most n parts (the last holds the rest);
            // an empty separator splits between code points
            Map<String, Object> m = new LinkedHashMap<>();
            int from = 0;
            while (n != 0 && (n < 0 || m.size() < n - 1)) {
                int at = sep.isEmpty() ? from + (from < s.length() ? Character.charCount(s.codePointAt(from)) : 0)
                        : s.indexOf(sep, from);
                if (at < 0 || (sep.isEmpty() && at >= s.length())) {
                    break;
                }
                m.put("_" + m.size(), s.substring(from, at));
                from = at + sep.length();
            }
            if (n != 0) {
                m.put("_" + m.size(), s.substring(from));
            }
            return m;
        });
        f.put("regexSplit", a -> {
            arity(a, 3, 3, "regexSplit");
            com.google.re2j.Pattern re = TemplateFunctions.regex(str(a.get(0), "regexSplit"));
            String s = str(a.get(1), "regexSplit");
            int n = (int) Math.max(Math.min(toInt(a.get(2)), Integer.MAX_VALUE), -1);
            return goSplit(re, s, n);
        });
        f.put("toStrings", a -> {
            Object v = one(a, "toStrings");
            List<Object> out = new ArrayList<>();
            if (v instanceof List<?> l) {
                for (Object o : l) {
                    if (o != null) {
                        out.add(strval(o));
                    }
                }
            } else if (v != null) {
                out.add(strval(v));
            }
            return out;
        });
        f.put("adler32sum", a -> {
            Adler32 c = new Adler32();
            c.update(str(one(a, "adler32sum"), "adler32sum").getBytes(StandardCharsets.UTF_8));
            return Long.toString(c.getValue());
        });
    }

    /** addf/subf/mulf/divf go through shopspring/decimal from each float's shortest text, as sprig's execDecimalOp. */
    private static void floats(Map<String, TemplateFunctions.Fn> f) {
        f.put("addf", a -> decimalOp(0.0, a, BigDecimal::add));
        f.put("add1f", a -> decimalOp(toFloat(one(a, "add1f")), List.of(1.0), BigDecimal::add));
        f.put("subf", a -> {
            arity(a, 1, -1, "subf");
            return decimalOp(toFloat(a.get(0)), a.subList(1, a.size()), BigDecimal::subtract);
        });
        f.put("mulf", a -> {
            arity(a, 1, -1, "mulf");
            return decimalOp(toFloat(a.get(0)), a.subList(1, a.size()), BigDecimal::multiply);
        });
        f.put("divf", a -> {
            arity(a, 1, -1, "divf");
            for (Object o : a.subList(1, a.size())) {
                if (toFloat(o) == 0) {
                    throw new ExecError("error calling divf: decimal division by 0");
                }
            }
            // decimal's Div rounds to DivisionPrecision (16) places, half away from zero
            return decimalOp(toFloat(a.get(0)), a.subList(1, a.size()), (x, y) -> x.divide(y, 16, RoundingMode.HALF_UP));
        });
        f.put("maxf", a -> {
            arity(a, 1, -1, "maxf");
            return a.stream().mapToDouble(SprigFunctions::toFloat).reduce(Math::max).orElse(0);
        });
        f.put("minf", a -> {
            arity(a, 1, -1, "minf");
            return a.stream().mapToDouble(SprigFunctions::toFloat).reduce(Math::min).orElse(0);
        });
        f.put("biggest", a -> a.stream().mapToLong(SprigFunctions::toInt).max().orElse(0));
        f.put("floor", a -> Math.floor(toFloat(one(a, "floor"))));
        f.put("ceil", a -> Math.ceil(toFloat(one(a, "ceil"))));
        f.put("round", a -> {
            arity(a, 2, 3, "round");
            double roundOn = a.size() == 3 ? toFloat(a.get(2)) : 0.5;
            double pow = Math.pow(10, toInt(a.get(1)));
            double digit = pow * toFloat(a.get(0));
            double frac = digit - (digit < 0 ? Math.ceil(digit) : Math.floor(digit)); // math.Modf
            return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
        });
        f.put("until", a -> range(0, toInt(one(a, "until")), toInt(one(a, "until")) >= 0 ? 1 : -1));
        f.put("untilStep", a -> {
            arity(a, 3, 3, "untilStep");
            return range(toInt(a.get(0)), toInt(a.get(1)), toInt(a.get(2)));
        });
    }

    private static void lists(Map<String, TemplateFunctions.Fn> f) {
        TemplateFunctions.Fn append = a -> {
            arity(a, 2, 2, "append");
            List<Object> l = asList(a.get(0));
            l.add(a.get(1));
            return l;
        };
        f.put("append", append);
        f.put("push", append);
        f.put("prepend", a -> {
            arity(a, 2, 2, "prepend");
            List<Object> l = asList(a.get(0));
            l.add(0, a.get(1));
            return l;
        });
        f.put("rest", a -> {
            List<Object> l = asList(one(a, "rest"));
            return l.isEmpty() ? null : new ArrayList<>(l.subList(1, l.size()));
        });
        f.put("initial", a -> {
            List<Object> l = asList(one(a, "initial"));
            return l.isEmpty() ? null : new ArrayList<>(l.subList(0, l.size() - 1));
        });
        f.put("reverse", a -> {
            List<Object> l = asList(one(a, "reverse"));
            java.util.Collections.reverse(l);
            return l;
        });
        f.put("uniq", a -> new ArrayList<>(new LinkedHashSet<>(asList(one(a, "uniq")))));
        f.put("compact", a -> {
            List<Object> out = new ArrayList<>();
            for (Object o : asList(one(a, "compact"))) {
                if (TemplateFunctions.truth(o)) {
                    out.add(o);
                }
            }
            return out;
        });
        f.put("has", a -> {
            arity(a, 2, 2, "has");
            return a.get(1) != null && asList(a.get(1)).contains(a.get(0));
        });
        f.put("without", a -> {
            arity(a, 1, -1, "without");
            List<Object> out = asList(a.get(0));
            out.removeIf(a.subList(1, a.size())::contains);
            return out;
        });
        f.put("sortAlpha", a -> {
            List<String> s = new ArrayList<>();
            for (Object o : asList(one(a, "sortAlpha"))) {
                s.add(strval(o));
            }
            s.sort(null);
            return new ArrayList<Object>(s);
        });
        f.put("concat", a -> {
            List<Object> out = new ArrayList<>();
            for (Object o : a) {
                out.addAll(asList(o));
            }
            return out;
        });
    }

    private static void dictsPathsTypes(Map<String, TemplateFunctions.Fn> f) {
        f.put("keys", a -> {
            List<Object> out = new ArrayList<>();
            for (Object d : a) {
                out.addAll(asMap(d, "keys").keySet());
            }
            return out;
        });
        f.put("values", a -> new ArrayList<>(asMap(one(a, "values"), "values").values()));
        f.put("get", a -> {
            arity(a, 2, 2, "get");
            Map<String, Object> d = asMap(a.get(0), "get");
            String k = str(a.get(1), "get");
            return d.containsKey(k) ? d.get(k) : "";
        });
        f.put("base", a -> {
            String p = str(one(a, "base"), "base");
            String t = p.replaceAll("/+$", "");
            if (p.isEmpty()) {
                return ".";
            }
            return t.isEmpty() ? "/" : t.substring(t.lastIndexOf('/') + 1);
        });
        f.put("ext", a -> {
            String p = str(one(a, "ext"), "ext");
            for (int i = p.length() - 1; i >= 0 && p.charAt(i) != '/'; i--) {
                if (p.charAt(i) == '.') {
                    return p.substring(i);
                }
            }
            return "";
        });
        f.put("isAbs", a -> str(one(a, "isAbs"), "isAbs").startsWith("/"));
        f.put("typeOf", a -> TemplateFunctions.typeName(one(a, "typeOf")));
        f.put("typeIs", a -> {
            arity(a, 2, 2, "typeIs");
            return str(a.get(0), "typeIs").equals(TemplateFunctions.typeName(a.get(1)));
        });
        f.put("kindOf", a -> kind(one(a, "kindOf")));
        f.put("kindIs", a -> {
            arity(a, 2, 2, "kindIs");
            return str(a.get(0), "kindIs").equals(kind(a.get(1)));
        });
        f.put("fail", a -> {
            throw new ExecError("error calling fail: " + str(one(a, "fail"), "fail"));
        });
    }

    /** Go's Regexp.Split(s, n): the text between the matches of FindAllStringIndex. */
    static List<Object> goSplit(com.google.re2j.Pattern re, String s, int n) throws ExecError {
        List<Object> out = new ArrayList<>();
        if (n == 0) {
            return out;
        }
        if (!re.pattern().isEmpty() && s.isEmpty()) {
            out.add("");
            return out;
        }
        int[] begEnd = {0, 0};
        Re2.forEachMatch(re, s, n, m -> {
            if (n > 0 && out.size() == n - 1) {
                return;
            }
            begEnd[1] = m.start();
            if (m.end() != 0) {
                out.add(s.substring(begEnd[0], begEnd[1]));
            }
            begEnd[0] = m.end();
        });
        if (begEnd[1] != s.length()) {
            out.add(s.substring(begEnd[0]));
        }
        return out;
    }

    /** reflect.Kind's name of a template value. */
    private static String kind(Object v) {
        String t = TemplateFunctions.typeName(v);
        if (t.startsWith("map[")) {
            return "map";
        }
        if (t.startsWith("[]")) {
            return "slice";
        }
        return t.equals("nil") ? "invalid" : t;
    }

    private interface Op {
        BigDecimal apply(BigDecimal x, BigDecimal y);
    }

    private static double decimalOp(double first, List<Object> rest, Op op) throws ExecError {
        BigDecimal acc = decimal(first);
        for (Object o : rest) {
            acc = op.apply(acc, decimal(toFloat(o)));
        }
        return acc.doubleValue();
    }

    private static BigDecimal decimal(double d) throws ExecError {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new ExecError("cannot make a decimal of " + d);
        }
        return BigDecimal.valueOf(d);
    }

    /** sprig's untilStep: start, start+step, ... up to (not including) stop; nothing when the step leads away. */
    static List<Object> range(long start, long stop, long step) {
        List<Object> out = new ArrayList<>();
        if (step == 0 || (step > 0 && start >= stop) || (step < 0 && start <= stop)) {
            return out;
        }
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            out.add(i);
            if (out.size() > 1_000_000) {
                break; // a template cannot make a list larger than this in reasonable time
            }
        }
        return out;
    }

    static List<Object> asList(Object o) throws ExecError {
        if (o instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        throw new ExecError("cannot use " + TemplateFunctions.typeName(o) + " as a list");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o, String fn) throws ExecError {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new ExecError("error calling " + fn + ": expected a dict, found " + TemplateFunctions.typeName(o));
    }
}
