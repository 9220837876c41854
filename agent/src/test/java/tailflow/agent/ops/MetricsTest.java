package tailflow.agent.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import tailflow.agent.ops.metrics.Metrics;

class MetricsTest {

    @Test
    void writesTextExpositionWithHelpTypeAndEscapedLabels() throws Exception {
        Metrics m = new Metrics();
        m.counter("tailflow_dropped_entries_total", "Entries dropped.\nReason labelled.", "reason").inc(3, "line \"too\" long\\");
        m.gauge("tailflow_files_active_total", "Open files.").set(2);
        m.histogram("tailflow_request_duration_seconds", "Push duration.", new double[] {0.1, 1}, "status_code")
                .observe(0.05, "204");
        m.histogram("tailflow_request_duration_seconds", "Push duration.", new double[] {0.1, 1}, "status_code")
                .observe(5, "204");
        StringWriter out = new StringWriter();
        m.writeTo(out);
        assertThat(out.toString()).isEqualTo("""
                # HELP tailflow_dropped_entries_total Entries dropped.\\nReason labelled.
                # TYPE tailflow_dropped_entries_total counter
                tailflow_dropped_entries_total{reason="line \\"too\\" long\\\\"} 3
                # HELP tailflow_files_active_total Open files.
                # TYPE tailflow_files_active_total gauge
                tailflow_files_active_total 2
                # HELP tailflow_request_duration_seconds Push duration.
                # TYPE tailflow_request_duration_seconds histogram
                tailflow_request_duration_seconds_bucket{status_code="204",le="0.1"} 1
                tailflow_request_duration_seconds_bucket{status_code="204",le="1"} 1
                tailflow_request_duration_seconds_bucket{status_code="204",le="+Inf"} 2
                tailflow_request_duration_seconds_sum{status_code="204"} 5.05
                tailflow_request_duration_seconds_count{status_code="204"} 2
                """);
    }
}
