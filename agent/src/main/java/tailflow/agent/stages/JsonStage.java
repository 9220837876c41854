package tailflow.agent.stages;

import com.fasterxml.jackson.databind.JsonNode;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPath;
import io.burt.jmespath.jackson.JacksonRuntime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tailflow.agent.pipeline.Emitter;

/**
 * Promtail's {@code json} stage: JMESPath expressions over a JSON object line. Scalars are stored
 * as they are (numbers as float64), null as a present key without a string form, arrays and
 * objects as their JSON text. A line that is not a JSON object changes nothing, or is dropped with
 * {@code drop_malformed}.
 */
public final class JsonStage implements Step {
    private static final JmesPath<JsonNode> JMESPATH = new JacksonRuntime();

    /** @param expressions extracted name to compiled expression (an empty expression means the name itself) */
    public record Spec(Map<String, Expression<JsonNode>> expressions, Optional<String> source, boolean dropMalformed)
            implements StageSpec {

        public static Spec of(Map<String, String> expressions, Optional<String> source, boolean dropMalformed) {
            if (expressions.isEmpty()) {
                throw new IllegalArgumentException("JMES expression is required (expressions: {name: path})");
            }
            Map<String, Expression<JsonNode>> compiled = new LinkedHashMap<>();
            expressions.forEach((name, e) -> compiled.put(name, compile(e == null || e.isEmpty() ? name : e)));
            return new Spec(compiled, Source.check(source), dropMalformed);
        }

        /** One JMESPath expression; a bad one throws IllegalArgumentException. */
        public static Expression<JsonNode> compile(String expression) {
            try {
                return JMESPATH.compile(expression);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("could not compile JMES expression '" + expression + "': "
                        + e.getMessage());
            }
        }

        @Override
        public String name() {
            return "json";
        }

        @Override
        public Step create(StageContext ctx) {
            return new JsonStage(this);
        }
    }

    private final Spec spec;

    JsonStage(Spec spec) {
        this.spec = spec;
    }

    @Override
    public void process(Item item, Downstream out) {
        String input = Source.input(item, spec.source);
        if (input != null) {
            JsonNode data = GoJson.parseObject(input);
            if (data == null) {
                if (spec.dropMalformed) {
                    out.drop(item, Emitter.UNCOUNTED); // json.go: `continue`, counted nowhere
                    return;
                }
            } else {
                for (Map.Entry<String, Expression<JsonNode>> e : spec.expressions.entrySet()) {
                    try {
                        item.extracted.put(e.getKey(), value(e.getValue().search(data)));
                    } catch (RuntimeException failed) {
                        // Promtail skips an expression that fails at run time
                    }
                }
            }
        }
        out.emit(item);
    }

    static Object value(JsonNode r) {
        if (r == null || r.isNull() || r.isMissingNode()) {
            return null;
        }
        if (r.isTextual()) {
            return r.textValue();
        }
        if (r.isNumber()) {
            return r.doubleValue();
        }
        if (r.isBoolean()) {
            return r.booleanValue();
        }
        return GoJson.marshal(r);
    }
}
