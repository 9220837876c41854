package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tailflow.agent.pipeline.Labels;

/** The metrics stage: Promtail's counter/gauge/histogram semantics on tailflow_custom_ names. */
class MetricsStageTest {
    private final Run run = new Run();

    private String exposition() throws Exception {
        StringWriter w = new StringWriter();
        run.metrics.writeTo(w);
        return w.toString();
    }

    @Test
    void countersGaugesHistograms() throws Exception {
        MetricsStage.Spec spec = new MetricsStage.Spec(List.of(
                MetricsStage.Metric.of("lines_total", "Counter", "all lines", Optional.empty(), "", Optional.empty(),
                        Optional.empty(), "inc", true, false, List.of()),
                MetricsStage.Metric.of("bytes_total", "counter", "bytes", Optional.empty(), "", Optional.empty(),
                        Optional.empty(), "add", true, true, List.of()),
                MetricsStage.Metric.of("errors_total", "counter", "errors", Optional.of("level"), "my_", Optional.empty(),
                        Optional.of("error"), "inc", false, false, List.of()),
                MetricsStage.Metric.of("queue", "gauge", "queue length", Optional.of("q"), "", Optional.empty(),
                        Optional.empty(), "set", false, false, List.of()),
                MetricsStage.Metric.of("latency", "histogram", "latency", Optional.of("took"), "", Optional.empty(),
                        Optional.empty(), "", false, false, List.of(0.1, 1.0))));
        Step s = run.chain(spec);
        Labels l = Labels.of("job", "j", "__internal", "x");
        run.one(s, Run.item("héllo", l, Map.of("level", "error", "q", "5", "took", "250ms")));
        run.one(s, Run.item("x", l, Map.of("level", "info", "q", 7.0, "took", "2")));
        String text = exposition();
        assertThat(text).contains(
                "# TYPE tailflow_custom_lines_total counter\ntailflow_custom_lines_total{job=\"j\"} 2\n",
                "tailflow_custom_bytes_total{job=\"j\"} 7\n",
                "my_errors_total{job=\"j\"} 1\n",
                "# TYPE tailflow_custom_queue gauge\ntailflow_custom_queue{job=\"j\"} 7\n",
                "tailflow_custom_latency_bucket{job=\"j\",le=\"0.1\"} 0\n",
                "tailflow_custom_latency_bucket{job=\"j\",le=\"1\"} 1\n",
                "tailflow_custom_latency_bucket{job=\"j\",le=\"+Inf\"} 2\n",
                "tailflow_custom_latency_sum{job=\"j\"} 2.25\n",
                "tailflow_custom_latency_count{job=\"j\"} 2\n");
    }

    @Test
    void idleSeriesGoAwayAndOnlyOneChainRecords() throws Exception {
        MetricsStage.Spec spec = new MetricsStage.Spec(List.of(MetricsStage.Metric.of("c_total", "counter", "c", Optional.empty(),
                "", Optional.of(60_000_000_000L), Optional.empty(), "inc", true, false, List.of())));
        Step s = run.chain(spec);
        StageContext other = new StageContext(run.wall, run.mono::get, run.metrics, false, "job", null, null);
        Step second = StepChain.of(List.of(spec), other);
        run.one(s, Run.item("x", Labels.of("job", "a"), Map.of()));
        run.one(second, Run.item("x", Labels.of("job", "a"), Map.of()));
        assertThat(exposition()).contains("tailflow_custom_c_total{job=\"a\"} 1\n");
        run.wall = Clock.offset(run.wall, Duration.ofSeconds(61));
        // the series keeps the clock it was made with; a new chain with the later clock replaces the registration
        Step later = run.chain(spec);
        run.one(later, Run.item("x", Labels.of("job", "b"), Map.of()));
        assertThat(exposition()).contains("tailflow_custom_c_total{job=\"b\"} 1\n").doesNotContain("job=\"a\"");
    }

    @Test
    void configErrorsAsPromtail() {
        assertThatThrownBy(() -> MetricsStage.Metric.of("x", "summary", "", Optional.empty(), "", Optional.empty(), Optional.empty(),
                "inc", false, false, List.of())).hasMessageContaining("invalid metric type 'summary'");
        assertThatThrownBy(() -> MetricsStage.Metric.of("x", "counter", "", Optional.empty(), "", Optional.empty(), Optional.empty(),
                "set", false, false, List.of())).hasMessageContaining("action set is not valid");
        assertThatThrownBy(() -> MetricsStage.Metric.of("x", "counter", "", Optional.empty(), "", Optional.empty(), Optional.of("v"),
                "inc", true, false, List.of())).hasMessageContaining("cannot be combined");
        assertThatThrownBy(() -> MetricsStage.Metric.of("x", "counter", "", Optional.empty(), "", Optional.empty(), Optional.empty(),
                "inc", true, true, List.of())).hasMessageContaining("only be used with `action: add`");
        assertThatThrownBy(() -> MetricsStage.Metric.of("x", "gauge", "", Optional.empty(), "", Optional.empty(), Optional.empty(),
                "", false, false, List.of())).hasMessageContaining("gauge action must be defined");
        assertThatThrownBy(() -> MetricsStage.Metric.of("x-y", "gauge", "", Optional.empty(), "", Optional.empty(), Optional.empty(),
                "set", false, false, List.of())).hasMessageContaining("not a valid metric name");
        assertThatThrownBy(() -> MetricsStage.Metric.of("x", "gauge", "", Optional.empty(), "", Optional.of(10L), Optional.empty(),
                "set", false, false, List.of())).hasMessageContaining("less than 1s");
    }
}
