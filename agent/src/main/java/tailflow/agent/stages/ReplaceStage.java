package tailflow.agent.stages;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Promtail's {@code replace} stage: every capture group of every match is replaced by the
 * {@code replace} template's output (with the captured text as {@code .Value} and the extracted
 * values as strings); the result replaces the line, or the source's value. Named groups also
 * store their replaced text in the extracted map. An expression without groups changes nothing.
 */
public final class ReplaceStage implements Step {

    public record Spec(Pattern expression, Optional<String> source, GoTemplate replace) implements StageSpec {
        public static Spec of(String expression, Optional<String> source, String replace) {
            if (expression == null || expression.isEmpty()) {
                throw new IllegalArgumentException("expression is required");
            }
            return new Spec(Re2.compile(expression), Source.check(source), GoTemplate.parse(replace == null ? "" : replace));
        }

        @Override
        public String name() {
            return "replace";
        }

        @Override
        public Step create(StageContext ctx) {
            return new ReplaceStage(this);
        }
    }

    private final Spec spec;

    ReplaceStage(Spec spec) {
        this.spec = spec;
    }

    @Override
    public void process(Item item, Downstream out) {
        String input = Source.input(item, spec.source);
        if (input != null) {
            replace(item, input);
        }
        out.emit(item);
    }

    private void replace(Item item, String input) {
        Matcher m = spec.expression.matcher(input);
        if (!m.find()) {
            return;
        }
        String[] firstMatch = new String[m.groupCount() + 1];
        for (int g = 1; g <= m.groupCount(); g++) {
            firstMatch[g] = m.group(g) == null ? "" : m.group(g);
        }
        Map<String, Object> data = new HashMap<>();
        item.extracted.forEach((k, v) -> {
            String s = Values.string(v);
            if (s != null) {
                data.put(k, s);
            }
        });
        StringBuilder result = new StringBuilder();
        Map<String, String> captured = new HashMap<>();
        try {
            // the matches of Go's FindAllStringSubmatchIndex, each group replaced by the template
            int[] previousEnd = {0};
            Re2.forEachMatch(spec.expression, input, -1, match -> {
                for (int g = 1; g <= match.groupCount(); g++) {
                    int start = match.start(g);
                    if (start < 0) {
                        continue;
                    }
                    int end = match.end(g);
                    String text = input.substring(start, end);
                    data.put("Value", text);
                    String replaced = spec.replace.execute(data);
                    if (previousEnd[0] == 0 || previousEnd[0] <= start) {
                        result.append(input, previousEnd[0], start).append(replaced);
                        previousEnd[0] = end;
                    }
                    captured.put(text, replaced);
                }
            });
            result.append(input, previousEnd[0], input.length());
        } catch (GoTemplate.ExecError e) {
            return; // Promtail changes nothing when the template fails
        }
        if (spec.source.isPresent()) {
            item.extracted.put(spec.source.get(), result.toString());
        } else {
            item.line = result.toString();
        }
        for (Map.Entry<String, Integer> g : spec.expression.namedGroups().entrySet()) {
            String replaced = captured.get(firstMatch[g.getValue()]);
            if (replaced != null) {
                item.extracted.put(g.getKey(), replaced);
            }
        }
    }
}
