package tailflow.agent.loki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tailflow.agent.config.ClientConfig;
import tailflow.agent.ops.metrics.Metrics;

class LokiSinkTest {

    private final Deque<Integer> statuses = new ArrayDeque<>();
    private final List<Integer> bodySizes = new ArrayList<>();
    private final List<Duration> sleeps = new ArrayList<>();
    private final Metrics metrics = new Metrics();

    private LokiSink sink() {
        LokiSink.Transport t = (body, len, type, enc) -> {
            bodySizes.add(len);
            int s = statuses.isEmpty() ? 204 : statuses.poll();
            return new LokiHttp.Answer(s, s == 400 ? "entry too far behind" : "");
        };
        return new LokiSink(t, ClientConfig.PushEncoding.PROTOBUF,
                new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5), new SplittableRandom(1)),
                sleeps::add, () -> 0, "loki:3100", metrics);
    }

    private static Batch batch(int n) {
        Batch b = new Batch();
        for (int i = 0; i < n; i++) {
            b.add("{job=\"a\"}", ("line " + i).getBytes(StandardCharsets.UTF_8), 1_000L + i, 0);
        }
        return b;
    }

    @Test
    void retriesWithGrowingJitteredBackoffUntilAccepted() throws Exception {
        statuses.addAll(List.of(429, -1, 503, 502));
        assertThat(sink().deliver(batch(3))).isTrue();
        assertThat(sleeps).hasSize(4);
        assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
        assertThat(sleeps.get(3)).isBetween(Duration.ofMillis(2000), Duration.ofMillis(4000));
        assertThat(metrics.counter("tailflow_batch_retries_total", "", "host").get("loki:3100")).isEqualTo(4);
        assertThat(metrics.counter("tailflow_sent_entries_total", "", "host").get("loki:3100")).isEqualTo(3);
    }

    @Test
    void rejected400IsDroppedAndCountedNotRetried() throws Exception {
        statuses.add(400);
        assertThat(sink().deliver(batch(5))).isTrue();
        assertThat(sleeps).isEmpty();
        assertThat(metrics.counter("tailflow_dropped_entries_total", "", "host", "reason").get("loki:3100", "rejected"))
                .isEqualTo(5);
    }

    @Test
    void repeated500SplitsTheBatchInHalves() throws Exception {
        statuses.addAll(List.of(500, 500, 204, 204));
        assertThat(sink().deliver(batch(10))).isTrue();
        assertThat(bodySizes).hasSize(4);
        assertThat(bodySizes.get(2)).isLessThan(bodySizes.get(0));
        assertThat(metrics.counter("tailflow_sent_entries_total", "", "host").get("loki:3100")).isEqualTo(10);
    }

    @Test
    void backoffIsCappedAndNeverGivesUp() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5), new SplittableRandom(7));
        Duration last = Duration.ZERO;
        for (int i = 0; i < 100; i++) {
            last = b.next();
        }
        assertThat(last).isBetween(Duration.ofSeconds(150), Duration.ofMinutes(5));
    }
}
