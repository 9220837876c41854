package tailflow.agent.stages;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Promtail's {@code docker} and {@code cri} stages, which are fixed pipelines of other stages. */
public final class FormatStages {
    private FormatStages() {}

    /** {@code docker}: json {output: log, stream: stream, timestamp: time}, label stream, RFC3339Nano timestamp, output. */
    public record DockerSpec() implements StageSpec {
        @Override
        public String name() {
            return "docker";
        }

        @Override
        public Step create(StageContext ctx) {
            Map<String, String> expressions = new LinkedHashMap<>();
            expressions.put("output", "log");
            expressions.put("stream", "stream");
            expressions.put("timestamp", "time");
            return StepChain.of(List.of(
                    JsonStage.Spec.of(expressions, Optional.empty(), false),
                    LabelStages.LabelsSpec.of(Map.of("stream", "")),
                    TimestampStage.Spec.of("timestamp", "RFC3339Nano", List.of(), Optional.empty(), Optional.empty()),
                    LabelStages.OutputSpec.of("output")), ctx);
        }
    }

    /**
     * {@code cri}: "TIME STREAM FLAGS CONTENT" lines; partial lines (flag P) of a stream are held
     * and joined to the next full line (F), at most {@code max_partial_lines} streams held at once
     * (beyond that the held ones are released as they are), optionally cut to {@code max_partial_line_size}.
     */
    public record CriSpec(int maxPartialLines, long maxPartialLineSize, boolean truncate) implements StageSpec {
        public static final int DEFAULT_MAX_PARTIAL_LINES = 100;

        @Override
        public String name() {
            return "cri";
        }

        @Override
        public Step create(StageContext ctx) {
            StepChain base = StepChain.of(List.of(
                    RegexStage.Spec.of("^(?s)(?P<time>\\S+?) (?P<stream>stdout|stderr) (?P<flags>\\S+?) (?P<content>.*)$",
                            Optional.empty()),
                    LabelStages.LabelsSpec.of(Map.of("stream", "")),
                    TimestampStage.Spec.of("time", "RFC3339Nano", List.of(), Optional.empty(), Optional.empty()),
                    LabelStages.OutputSpec.of("content"),
                    LabelStages.OutputSpec.of("tags")), ctx);
            return new CriStage(base, this);
        }
    }
}
