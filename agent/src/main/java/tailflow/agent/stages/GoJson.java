package tailflow.agent.stages;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** JSON as Promtail's stages read and write it: objects only, numbers as float64, Go's compact encoding. */
final class GoJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private GoJson() {}

    /**
     * The line as a JSON object, or null when it is not one (Promtail's "malformed json"). The text
     * {@code null} is a JSON null node, not malformed: Go's Unmarshal decodes it into a nil map.
     */
    static JsonNode parseObject(String text) {
        try {
            JsonNode n = MAPPER.readTree(text);
            return n != null && (n.isObject() || n.isNull()) ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Go's json.Marshal of a decoded value: map keys sorted, HTML characters escaped, float64 numbers. */
    static String marshal(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        write(sb, n);
        return sb.toString();
    }

    private static void write(StringBuilder sb, JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            sb.append("null");
        } else if (n.isTextual()) {
            string(sb, n.textValue());
        } else if (n.isBoolean()) {
            sb.append(n.booleanValue());
        } else if (n.isNumber()) {
            sb.append(number(n.doubleValue()));
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, n.get(i));
            }
            sb.append(']');
        } else {
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                keys.add(it.next());
            }
            keys.sort(null);
            sb.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                string(sb, keys.get(i));
                sb.append(':');
                write(sb, n.get(keys.get(i)));
            }
            sb.append('}');
        }
    }

    /**
     * Go's float64 encoding (encoding/json, json-iterator): 'f' formatting, 'e' below 1e-6 and from
     * 1e21, with "e-07" cleaned to "e-7" (positive exponents keep two digits: "1e+21").
     */
    static String number(double d) {
        double abs = Math.abs(d);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
            String e = exponential(d);
            int n = e.length();
            if (e.charAt(n - 4) == 'e' && e.charAt(n - 3) == '-' && e.charAt(n - 2) == '0') {
                return e.substring(0, n - 2) + e.charAt(n - 1);
            }
            return e;
        }
        return Values.formatFloat(d);
    }

    /** strconv.FormatFloat(d, 'e', -1, 64): shortest digits, an exponent of at least two digits ("1.5e+06", "1e-07"). */
    static String exponential(double d) {
        String s = Double.toString(d).replace("E", "e");
        int e = s.indexOf('e');
        String mant;
        int exp;
        if (e < 0) {
            // Double.toString writes 1e-3 <= |d| < 1e7 without an exponent: normalise via BigDecimal
            java.math.BigDecimal b = new java.math.BigDecimal(s).stripTrailingZeros();
            exp = b.precision() - b.scale() - 1;
            mant = b.movePointLeft(exp).toPlainString();
        } else {
            mant = s.substring(0, e);
            exp = Integer.parseInt(s.substring(e + 1));
        }
        if (mant.endsWith(".0")) {
            mant = mant.substring(0, mant.length() - 2);
        }
        String digits = Integer.toString(Math.abs(exp));
        return mant + "e" + (exp < 0 ? "-" : "+") + (digits.length() < 2 ? "0" + digits : digits);
    }

    static void string(StringBuilder sb, String s) {
        tailflow.agent.pipeline.JsonString.append(sb, s);
    }
}
