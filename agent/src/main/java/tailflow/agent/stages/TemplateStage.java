package tailflow.agent.stages;

import java.util.HashMap;
import java.util.Map;

/**
 * Promtail's {@code template} stage: runs a Go template over the extracted values (as strings,
 * the source's value also as {@code .Value}, the line as {@code .Entry}) and stores the result
 * under {@code source}; an empty result removes the key; a template that fails on an entry changes nothing.
 */
public final class TemplateStage implements Step {

    public record Spec(String source, GoTemplate template) implements StageSpec {
        public static Spec of(String source, String template) {
            if (source == null || source.isEmpty()) {
                throw new IllegalArgumentException("template source value is required");
            }
            return new Spec(source, GoTemplate.parse(template == null ? "" : template));
        }

        @Override
        public String name() {
            return "template";
        }

        @Override
        public Step create(StageContext ctx) {
            return new TemplateStage(this);
        }
    }

    private final Spec spec;

    TemplateStage(Spec spec) {
        this.spec = spec;
    }

    @Override
    public void process(Item item, Downstream out) {
        Map<String, Object> data = new HashMap<>();
        for (Map.Entry<String, Object> e : item.extracted.entrySet()) {
            String s = Values.string(e.getValue());
            if (s != null) {
                data.put(e.getKey(), s);
                if (e.getKey().equals(spec.source)) {
                    data.put("Value", s);
                }
            }
        }
        data.put("Entry", item.line);
        try {
            String result = spec.template.execute(data);
            if (result.isEmpty()) {
                item.extracted.remove(spec.source);
            } else {
                item.extracted.put(spec.source, result);
            }
        } catch (GoTemplate.ExecError e) {
            // Promtail leaves the extracted map as it was when the template fails on an entry
        }
        out.emit(item);
    }
}
