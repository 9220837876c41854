package tailflow.agent.stages;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.Map;
import java.util.Optional;

/** Promtail's {@code regex} stage: named capture groups of the first match go into the extracted map. */
public final class RegexStage implements Step {

    /** @param source extracted key to match instead of the line */
    public record Spec(Pattern expression, Optional<String> source) implements StageSpec {
        public static Spec of(String expression, Optional<String> source) {
            if (expression == null || expression.isEmpty()) {
                throw new IllegalArgumentException("expression is required");
            }
            return new Spec(Re2.compile(expression), Source.check(source));
        }

        @Override
        public String name() {
            return "regex";
        }

        @Override
        public Step create(StageContext ctx) {
            return new RegexStage(this);
        }
    }

    private final Spec spec;
    private final Map.Entry<String, Integer>[] groups;
    /** Reused for every entry (a stage runs on one thread): a fresh matcher per line was most of the garbage. */
    private final Matcher matcher;

    @SuppressWarnings("unchecked")
    RegexStage(Spec spec) {
        this.spec = spec;
        this.groups = spec.expression.namedGroups().entrySet().toArray(new Map.Entry[0]);
        this.matcher = spec.expression.matcher("");
    }

    @Override
    public void process(Item item, Downstream out) {
        String input = Source.input(item, spec.source);
        if (input != null) {
            Matcher m = matcher.reset(input);
            if (m.find()) {
                for (Map.Entry<String, Integer> g : groups) {
                    String v = m.group(g.getValue());
                    item.extracted.put(g.getKey(), v == null ? "" : v);
                }
            }
        }
        out.emit(item);
    }
}
