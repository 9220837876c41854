package tailflow.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.agent.loki.Batch;
import tailflow.agent.loki.BatchSink;
import tailflow.agent.ops.metrics.Metrics;

/** The reader/sender pipeline of one client over real files, with a sink the test controls. */
class ClientPipelineTest {

    @TempDir
    Path dir;

    private final List<ClientPipeline> started = new ArrayList<>();

    /** Records delivered lines; blocks deliveries while closed. */
    static final class GateSink implements BatchSink {
        final List<String> lines = new ArrayList<>();
        final Semaphore gate = new Semaphore(Integer.MAX_VALUE);
        volatile int attempts;
        volatile long largestRequest;

        void close() throws InterruptedException {
            gate.acquire(Integer.MAX_VALUE);
        }

        void open() {
            gate.release(Integer.MAX_VALUE);
        }

        @Override
        public boolean deliver(Batch batch) throws InterruptedException {
            attempts++;
            largestRequest = Math.max(largestRequest, batch.encodedSize());
            gate.acquire();
            gate.release();
            synchronized (lines) {
                for (int e = 0; e < batch.entries(); e++) {
                    lines.add(batch.line(e));
                }
            }
            return true;
        }

        int count() {
            synchronized (lines) {
                return lines.size();
            }
        }

        List<String> snapshot() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        @Override
        public boolean healthy() {
            return true;
        }
    }

    private ClientPipeline pipeline(String key, BatchSink sink, Metrics metrics, long batchBytes) {
        ClientPipeline.Settings settings = new ClientPipeline.Settings(key, key, List.of(
                new Target(dir.resolve("logs") + "/*.log", Optional.empty(), Map.of("job", "t"))), 256 * 1024,
                Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMillis(50), batchBytes,
                true);
        ClientPipeline p = new ClientPipeline(settings, new PositionsFile(dir.resolve("positions.yaml")), sink,
                Clock.systemUTC(), System::nanoTime, metrics);
        started.add(p);
        p.start();
        return p;
    }

    @AfterEach
    void stop() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        for (ClientPipeline p : started) {
            p.requestStop(deadline);
        }
        for (ClientPipeline p : started) {
            p.awaitStopped(deadline + Duration.ofSeconds(3).toNanos());
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private Path write(String name, int from, int to) throws Exception {
        Path f = dir.resolve("logs").resolve(name);
        Files.createDirectories(f.getParent());
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append("line ").append(i).append(" ").append("x".repeat(80)).append('\n');
        }
        Files.writeString(f, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return f;
    }

    @Test
    void whileLokiIsDownReadingStopsAfterTwoBatchesAndResumesWithoutLoss() throws Exception {
        GateSink sink = new GateSink();
        sink.close();
        Metrics metrics = new Metrics();
        write("a.log", 0, 20_000); // about 1.8 MiB
        pipeline("c", sink, metrics, 64 * 1024);
        await("first delivery attempt", () -> sink.attempts > 0);
        Thread.sleep(300); // a wrong reader would keep reading meanwhile; the assertion below bounds it
        long read = metrics.counter("tailflow_read_bytes_total", "", "path").get(dir.resolve("logs/a.log").toString());
        assertThat(read).as("bytes read while the sink is blocked").isLessThanOrEqualTo(2 * 64 * 1024);
        sink.open();
        await("all lines", () -> sink.count() == 20_000);
        assertThat(sink.snapshot().get(19_999)).startsWith("line 19999 ");
    }

    @Test
    void aFileDeletedWhileBehindIsDrainedBeforeItIsLetGo() throws Exception {
        GateSink sink = new GateSink();
        sink.close();
        Path f = write("a.log", 0, 5_000);
        pipeline("c", sink, new Metrics(), 64 * 1024);
        await("first delivery attempt", () -> sink.attempts > 0);
        Files.delete(f);
        write("a.log", 5_000, 5_010); // a new file under the same name
        sink.open();
        await("all lines", () -> sink.count() == 5_010);
        assertThat(sink.snapshot()).doesNotHaveDuplicates();
    }

    @Test
    void aSlowClientDoesNotHoldBackAFastOne() throws Exception {
        GateSink slow = new GateSink();
        slow.close();
        GateSink fast = new GateSink();
        write("a.log", 0, 3_000);
        pipeline("slow", slow, new Metrics(), 64 * 1024);
        pipeline("fast", fast, new Metrics(), 64 * 1024);
        await("fast client got everything", () -> fast.count() == 3_000);
        assertThat(slow.count()).isZero();
        slow.open();
        await("slow client caught up", () -> slow.count() == 3_000);
    }

    @Test
    void rotationByRenameDrainsTheOldFileThenReadsTheNewOne() throws Exception {
        GateSink sink = new GateSink();
        Path f = write("a.log", 0, 1_000);
        pipeline("c", sink, new Metrics(), 64 * 1024);
        await("first file", () -> sink.count() == 1_000);
        sink.close();
        write("a.log", 1_000, 2_000);
        Files.move(f, dir.resolve("logs/a.log.1"));
        write("a.log.1", 2_000, 2_500); // the writer had not reopened yet
        write("a.log", 2_500, 3_000);
        sink.open();
        await("all lines", () -> sink.count() == 3_000);
        assertThat(sink.snapshot()).doesNotHaveDuplicates();
    }

    @Test
    void copytruncateDrainsTheCopyFromWhereReadingStopped() throws Exception {
        GateSink sink = new GateSink();
        Path f = write("a.log", 0, 1_000);
        pipeline("c", sink, new Metrics(), 64 * 1024);
        await("first lines", () -> sink.count() == 1_000);
        sink.close();
        write("a.log", 1_000, 1_500); // may or may not be read before the truncation
        Files.copy(f, dir.resolve("logs/a.log.1"));
        Files.write(f, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
        write("a.log", 1_500, 1_600);
        sink.open();
        await("all lines", () -> sink.count() == 1_600);
        assertThat(sink.snapshot()).doesNotHaveDuplicates();
    }

    @Test
    void requestsStayUnderLokisFourMiBEvenWithALargerBatchsize() throws Exception {
        GateSink sink = new GateSink();
        write("a.log", 0, 70_000); // about 6.3 MiB
        pipeline("c", sink, new Metrics(), 16L * 1024 * 1024);
        await("all lines", () -> sink.count() == 70_000);
        assertThat(sink.largestRequest).isGreaterThan(3L * 1024 * 1024).isLessThan(4L * 1024 * 1024);
    }
}
