package tailflow.agent.loki;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;

/** Promtail's limits_config.max_streams (batch.go add): streams per batch and tenant; further streams' entries dropped. */
class MaxStreamsTest {

    private static Entry entry(String app, String tenant, long offset) {
        Labels l = Labels.of("app", app);
        return new Entry(tenant == null ? l : l.with(Batch.TENANT_LABEL, tenant), 1, app + offset,
                new Checkpoint.FileOffset("f", offset));
    }

    private final AtomicInteger limited = new AtomicInteger();

    private LokiClient client(int maxStreams) {
        LokiClient c = new LokiClient(new StdoutSink(System.out), 1024 * 1024, Duration.ofSeconds(1), () -> 0, "test");
        c.limitStreams(maxStreams, limited::incrementAndGet);
        return c;
    }

    @Test
    void entriesOfAStreamBeyondTheLimitAreDroppedWhileKnownStreamsGoOn() {
        LokiClient c = client(2);
        c.entry(entry("a", null, 1));
        c.entry(entry("b", null, 2));
        c.entry(entry("c", null, 3)); // third stream: dropped
        c.entry(entry("a", null, 4));
        c.done(new Checkpoint.FileOffset("f", 4));
        assertThat(c.batch().entries()).isEqualTo(3);
        assertThat(c.batch().streamCount()).isEqualTo(2);
        assertThat(limited.get()).isEqualTo(1);
        // the dropped entry's position is covered: the batch's checkpoint is past it
        assertThat(c.batch().checkpoints()).containsExactly(new Checkpoint.FileOffset("f", 4));
    }

    @Test
    void theLimitCountsStreamsPerTenantAsPromtailKeepsABatchPerTenant() {
        LokiClient c = client(1);
        c.entry(entry("a", null, 1));
        c.entry(entry("a", "acme", 2));
        c.entry(entry("b", "acme", 3)); // acme's second stream
        assertThat(c.batch().entries()).isEqualTo(2);
        assertThat(limited.get()).isEqualTo(1);
    }

    @Test
    void zeroIsNoLimit() {
        LokiClient c = client(0);
        for (int i = 0; i < 50; i++) {
            c.entry(entry("s" + i, null, i));
        }
        assertThat(c.batch().streamCount()).isEqualTo(50);
        assertThat(limited.get()).isZero();
    }
}
