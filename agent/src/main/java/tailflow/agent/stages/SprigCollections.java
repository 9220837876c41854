package tailflow.agent.stages;

import static tailflow.agent.stages.SprigFunctions.strval;
import static tailflow.agent.stages.SprigFunctions.toInt;
import static tailflow.agent.stages.SprigMoreFunctions.asList;
import static tailflow.agent.stages.SprigMoreFunctions.asMap;
import static tailflow.agent.stages.TemplateFunctions.arity;
import static tailflow.agent.stages.TemplateFunctions.one;
import static tailflow.agent.stages.TemplateFunctions.str;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tailflow.agent.stages.GoTemplate.ExecError;

/**
 * sprig v3.3.0's JSON (fromJson, toJson, toPrettyJson, toRawJson and their must forms), dict
 * (set, unset, pick, omit, merge, mergeOverwrite, deepCopy, dig, pluck), list (tuple, chunk,
 * slice, seq) and truth (all, any, deepEqual) functions, and the must forms of list and regex
 * functions, which differ from the plain ones only in how a bad argument fails (both end the
 * template here, as sprig's plain forms panic).
 */
final class SprigCollections {
    private SprigCollections() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static void register(Map<String, TemplateFunctions.Fn> f) {
        json(f);
        dicts(f);
        lists(f);
        for (String name : List.of("append", "prepend", "first", "rest", "last", "initial", "reverse", "uniq", "without",
                "has", "compact", "regexMatch", "regexFindAll", "regexFind", "regexReplaceAll", "regexReplaceAllLiteral",
                "regexSplit")) {
            TemplateFunctions.Fn plain = f.get(name);
            f.put("must" + Character.toUpperCase(name.charAt(0)) + name.substring(1), plain);
        }
    }

    private static void json(Map<String, TemplateFunctions.Fn> f) {
        f.put("fromJson", a -> {
            try {
                return fromJson(str(one(a, "fromJson"), "fromJson"));
            } catch (ExecError e) {
                return null;
            }
        });
        f.put("mustFromJson", a -> fromJson(str(one(a, "mustFromJson"), "mustFromJson")));
        for (String prefix : List.of("", "must")) {
            f.put(prefix.isEmpty() ? "toJson" : "mustToJson", a -> toJson(one(a, "toJson"), true, false));
            f.put(prefix.isEmpty() ? "toPrettyJson" : "mustToPrettyJson", a -> toJson(one(a, "toPrettyJson"), true, true));
            f.put(prefix.isEmpty() ? "toRawJson" : "mustToRawJson", a -> toJson(one(a, "toRawJson"), false, false));
        }
    }

    /** json.Unmarshal into interface{}: objects, arrays, float64 numbers, strings, booleans, nil. */
    static Object fromJson(String text) throws ExecError {
        try {
            return value(MAPPER.readTree(text));
        } catch (Exception e) {
            throw new ExecError("error calling mustFromJson: " + e.getMessage());
        }
    }

    private static Object value(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), value(e.getValue()));
            }
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(value(x)));
            return l;
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        return n.isBoolean() ? (Object) n.asBoolean() : n.asText();
    }

    /** encoding/json: keys sorted; HTML characters escaped unless raw; MarshalIndent("", "  ") when pretty. */
    static String toJson(Object v, boolean escapeHtml, boolean pretty) {
        StringBuilder sb = new StringBuilder();
        write(sb, v, escapeHtml, pretty ? 0 : -1);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, boolean html, int depth) {
        if (v instanceof String s) {
            tailflow.agent.pipeline.JsonString.append(sb, s, html);
        } else if (v instanceof Double d) {
            sb.append(GoJson.number(d));
        } else if (v instanceof Long || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof GoTime t) {
            tailflow.agent.pipeline.JsonString.append(sb, t.format("2006-01-02T15:04:05.999999999Z07:00"), html);
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                newline(sb, depth < 0 ? -1 : depth + 1);
                write(sb, l.get(i), html, depth < 0 ? -1 : depth + 1);
            }
            if (!l.isEmpty()) {
                newline(sb, depth);
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Object k : new TreeSet<>(m.keySet())) {
                sb.append(first ? "" : ",");
                newline(sb, depth < 0 ? -1 : depth + 1);
                tailflow.agent.pipeline.JsonString.append(sb, String.valueOf(k), html);
                sb.append(depth < 0 ? ":" : ": ");
                write(sb, m.get(k), html, depth < 0 ? -1 : depth + 1);
                first = false;
            }
            if (!m.isEmpty()) {
                newline(sb, depth);
            }
            sb.append('}');
        } else {
            sb.append("null");
        }
    }

    private static void newline(StringBuilder sb, int depth) {
        if (depth >= 0) {
            sb.append('\n').append("  ".repeat(depth));
        }
    }

    private static void dicts(Map<String, TemplateFunctions.Fn> f) {
        f.put("set", a -> {
            arity(a, 3, 3, "set");
            Map<String, Object> d = asMap(a.get(0), "set");
            d.put(str(a.get(1), "set"), a.get(2));
            return d;
        });
        f.put("unset", a -> {
            arity(a, 2, 2, "unset");
            Map<String, Object> d = asMap(a.get(0), "unset");
            d.remove(str(a.get(1), "unset"));
            return d;
        });
        f.put("pick", a -> {
            arity(a, 1, -1, "pick");
            Map<String, Object> d = asMap(a.get(0), "pick");
            Map<String, Object> out = new LinkedHashMap<>();
            for (Object k : a.subList(1, a.size())) {
                String key = str(k, "pick");
                if (d.containsKey(key)) {
                    out.put(key, d.get(key));
                }
            }
            return out;
        });
        f.put("omit", a -> {
            arity(a, 1, -1, "omit");
            Map<String, Object> out = new LinkedHashMap<>(asMap(a.get(0), "omit"));
            for (Object k : a.subList(1, a.size())) {
                out.remove(str(k, "omit"));
            }
            return out;
        });
        TemplateFunctions.Fn merge = a -> merge(a, false);
        TemplateFunctions.Fn mergeOverwrite = a -> merge(a, true);
        f.put("merge", merge);
        f.put("mustMerge", merge);
        f.put("mergeOverwrite", mergeOverwrite);
        f.put("mustMergeOverwrite", mergeOverwrite);
        TemplateFunctions.Fn deepCopy = a -> deepCopy(one(a, "deepCopy"));
        f.put("deepCopy", deepCopy);
        f.put("mustDeepCopy", deepCopy);
        f.put("dig", a -> {
            // dig "a" "b" "default" $dict
            arity(a, 3, -1, "dig");
            Object d = a.get(a.size() - 1);
            Object fallback = a.get(a.size() - 2);
            Object cur = d;
            for (Object k : a.subList(0, a.size() - 2)) {
                if (!(cur instanceof Map<?, ?> m) || !m.containsKey(str(k, "dig"))) {
                    return fallback;
                }
                cur = m.get(str(k, "dig"));
            }
            return cur;
        });
        f.put("pluck", a -> {
            arity(a, 1, -1, "pluck");
            String key = str(a.get(0), "pluck");
            List<Object> out = new ArrayList<>();
            for (Object d : a.subList(1, a.size())) {
                Map<String, Object> m = asMap(d, "pluck");
                if (m.containsKey(key)) {
                    out.add(m.get(key));
                }
            }
            return out;
        });
    }

    /** mergo.Merge (missing keys filled, nested dicts merged) or with overwrite (WithOverride). */
    private static Object merge(List<Object> a, boolean overwrite) throws ExecError {
        arity(a, 1, -1, overwrite ? "mergeOverwrite" : "merge");
        Map<String, Object> dst = asMap(a.get(0), "merge");
        for (Object src : a.subList(1, a.size())) {
            mergeInto(dst, asMap(src, "merge"), overwrite);
        }
        return dst;
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> dst, Map<String, Object> src, boolean overwrite) {
        for (Map.Entry<String, Object> e : src.entrySet()) {
            Object have = dst.get(e.getKey());
            if (have instanceof Map<?, ?> hm && e.getValue() instanceof Map<?, ?> sm) {
                mergeInto((Map<String, Object>) hm, (Map<String, Object>) sm, overwrite);
            } else if (!dst.containsKey(e.getKey()) || !TemplateFunctions.truth(have) || overwrite && e.getValue() != null
                    && TemplateFunctions.truth(e.getValue())) {
                dst.put(e.getKey(), e.getValue());
            }
        }
    }

    private static Object deepCopy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), deepCopy(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(deepCopy(x)));
            return out;
        }
        return v;
    }

    private static void lists(Map<String, TemplateFunctions.Fn> f) {
        f.put("tuple", a -> new ArrayList<>(a));
        TemplateFunctions.Fn chunk = a -> {
            arity(a, 2, 2, "chunk");
            long size = toInt(a.get(0));
            List<Object> l = asList(a.get(1));
            List<Object> out = new ArrayList<>();
            if (size <= 0) {
                throw new ExecError("error calling chunk: size must be above 0");
            }
            for (int i = 0; i < l.size(); i += (int) size) {
                out.add(new ArrayList<>(l.subList(i, (int) Math.min(l.size(), i + size))));
            }
            return out;
        };
        f.put("chunk", chunk);
        f.put("mustChunk", chunk);
        TemplateFunctions.Fn slice = a -> {
            arity(a, 1, 3, "slice");
            List<Object> l = asList(a.get(0));
            int from = a.size() > 1 ? (int) toInt(a.get(1)) : 0;
            int to = a.size() > 2 ? (int) toInt(a.get(2)) : l.size();
            if (from < 0 || to > l.size() || from > to) {
                throw new ExecError("error calling slice: slice bounds out of range [" + from + ":" + to + "]");
            }
            return new ArrayList<>(l.subList(from, to));
        };
        f.put("slice", slice);
        f.put("mustSlice", slice);
        f.put("seq", a -> seq(a));
        f.put("all", a -> a.stream().allMatch(TemplateFunctions::truth));
        f.put("any", a -> a.stream().anyMatch(TemplateFunctions::truth));
        f.put("deepEqual", a -> {
            arity(a, 2, 2, "deepEqual");
            return java.util.Objects.equals(a.get(0), a.get(1));
        });
        f.put("typeIsLike", a -> {
            arity(a, 2, 2, "typeIsLike");
            String t = TemplateFunctions.typeName(a.get(1));
            String want = str(a.get(0), "typeIsLike");
            return want.equals(t) || ("*" + want).equals(t);
        });
    }

    /** sprig's seq: like the shell's (1 to n, start to end, start step end), as one space-separated string. */
    private static String seq(List<Object> a) throws ExecError {
        long[] p = new long[a.size()];
        for (int i = 0; i < p.length; i++) {
            if (!(a.get(i) instanceof Long l)) {
                throw new ExecError("error calling seq: wrong type for value; expected int; got "
                        + TemplateFunctions.typeName(a.get(i)));
            }
            p[i] = l;
        }
        List<Object> out;
        switch (p.length) {
            case 1 -> {
                long inc = p[0] < 1 ? -1 : 1;
                out = SprigMoreFunctions.range(1, p[0] + inc, inc);
            }
            case 2 -> {
                long step = p[1] < p[0] ? -1 : 1;
                out = SprigMoreFunctions.range(p[0], p[1] + step, step);
            }
            case 3 -> {
                long inc = 1;
                if (p[2] < p[0]) {
                    inc = -1;
                    if (p[1] > 0) {
                        return "";
                    }
                }
                out = SprigMoreFunctions.range(p[0], p[2] + inc, p[1]);
            }
            default -> {
                return "";
            }
        }
        StringBuilder sb = new StringBuilder();
        for (Object o : out) {
            sb.append(sb.length() == 0 ? "" : " ").append(strval(o));
        }
        return sb.toString();
    }
}
