package tailflow.agent.stages;

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
    private final String[] names;
    private final int[] numbers;
    /** Reused for every entry (a stage runs on one thread); java.util.regex when the pattern translates exactly. */
    private final Re2Matcher matcher;

    RegexStage(Spec spec) {
        this.spec = spec;
        Map<String, Integer> named = spec.expression.namedGroups();
        this.names = named.keySet().toArray(new String[0]);
        this.numbers = named.values().stream().mapToInt(Integer::intValue).toArray();
        this.matcher = new Re2Matcher(spec.expression);
    }

    @Override
    public void process(Item item, Downstream out) {
        String input = Source.input(item, spec.source);
        if (input != null) {
            if (matcher.find(input)) {
                for (int i = 0; i < names.length; i++) {
                    String v = matcher.group(numbers[i]);
                    item.extracted.put(names[i], v == null ? "" : v);
                }
            }
        }
        out.emit(item);
    }
}
