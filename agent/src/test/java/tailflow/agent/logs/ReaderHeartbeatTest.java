package tailflow.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tailflow.agent.component.Health;
import tailflow.agent.loki.Batch;
import tailflow.agent.loki.BatchSink;
import tailflow.agent.loki.LokiClient;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Source;

/** The reader thread reports into the watchdog's health view: turning is progress, a read that never returns is not. */
class ReaderHeartbeatTest {
    private long now; // the health view's clock, moved by hand

    /** Reads nothing until told to block, then blocks in read() like a hung file system. */
    private static final class BlockingSource implements Source {
        final AtomicInteger reads = new AtomicInteger();
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean block;

        @Override
        public String name() {
            return "blocking";
        }

        @Override
        public void open() {}

        @Override
        public boolean read(long monoNanos) {
            reads.incrementAndGet();
            if (block) {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return false;
        }

        @Override
        public void acknowledged(Checkpoint checkpoint) {}

        @Override
        public void savePositions(boolean force) {}

        @Override
        public void close() {}
    }

    private static final BatchSink NOWHERE = new BatchSink() {
        @Override
        public void deliver(Batch batch) {}

        @Override
        public boolean healthy() {
            return true;
        }
    };

    @Test
    void aReaderBlockedInAReadStallsItsHeartbeat() throws Exception {
        Health health = new Health(() -> now);
        BlockingSource source = new BlockingSource();
        LokiClient client = new LokiClient(NOWHERE, 1024 * 1024, Duration.ofMillis(50), System::nanoTime, "t");
        ClientPipeline pipeline = new ClientPipeline("loki:3100", List.of(source), List.of(), client,
                Duration.ofSeconds(10), System::nanoTime, health.heartbeat("logs-reader-loki:3100", Duration.ofMinutes(2)));
        pipeline.start();
        try {
            // the loop turns (waiting 100 ms per idle turn): each turn is a sign of life
            int seen = source.reads.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (source.reads.get() < seen + 3) {
                assertThat(System.nanoTime()).as("the reader turns").isLessThan(deadline);
                Thread.sleep(10);
            }
            now += Duration.ofMinutes(3).toNanos();
            int before = source.reads.get();
            while (source.reads.get() < before + 2) { // a turn after the clock moved beats again
                assertThat(System.nanoTime()).as("the reader turns").isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(health.stalled()).isEmpty();

            source.block = true;
            assertThat(source.blocked.await(10, TimeUnit.SECONDS)).isTrue();
            now += Duration.ofMinutes(2).plusSeconds(1).toNanos();
            assertThat(health.stalled()).singleElement().asString().startsWith("logs-reader-loki:3100: no progress for 12");
        } finally {
            source.release.countDown();
            pipeline.requestStop(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
            assertThat(pipeline.awaitStopped(System.nanoTime() + TimeUnit.SECONDS.toNanos(10))).isTrue();
        }
        assertThat(health.stalled()).as("the heartbeat closes with the thread").isEmpty();
    }
}
