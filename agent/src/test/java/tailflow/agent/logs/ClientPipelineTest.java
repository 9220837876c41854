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
import tailflow.agent.component.Health;
import tailflow.agent.loki.Batch;
import tailflow.agent.loki.BatchSink;
import tailflow.agent.loki.LokiClient;
import tailflow.agent.ops.metrics.Metrics;
import tailflow.agent.pipeline.Chain;
import tailflow.agent.pipeline.Emitter;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;
import tailflow.agent.pipeline.Stage;
import tailflow.agent.positions.FilePositions;
import tailflow.agent.positions.PositionsFile;

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
        public void deliver(Batch batch) throws InterruptedException {
            attempts++;
            largestRequest = Math.max(largestRequest, batch.encodedSize());
            gate.acquire();
            gate.release();
            synchronized (lines) {
                for (int e = 0; e < batch.entries(); e++) {
                    lines.add(batch.line(e));
                }
            }
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
        return pipeline(key, sink, metrics, batchBytes, List.of());
    }

    private ClientPipeline pipeline(String key, BatchSink sink, Metrics metrics, long batchBytes, List<Stage> stages) {
        LokiClient client = new LokiClient(sink, batchBytes, Duration.ofMillis(50), System::nanoTime, key);
        Chain chain = new Chain(stages, client, reason -> {});
        FileSource.Settings settings = new FileSource.Settings(key, key, List.of(new Target("t",
                dir.resolve("logs") + "/*.log", Optional.empty(), Labels.of("job", "t"))), 256 * 1024,
                Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMillis(200), true);
        FileSource files = new FileSource(settings, new PositionsFile(dir.resolve("positions.yaml")), client,
                Map.of("t", chain), Clock.systemUTC(), System::nanoTime, new FileMetrics(metrics, true));
        ClientPipeline p = new ClientPipeline(key, List.of(files), List.of(chain), client, Duration.ofMillis(200),
                System::nanoTime, new Health(System::nanoTime).heartbeat("logs-reader-" + key, Duration.ofMinutes(2)));
        started.add(p);
        p.start();
        return p;
    }

    private long savedOffset(String key) throws Exception {
        FilePositions saved = new PositionsFile(dir.resolve("positions.yaml")).files(key);
        return saved == null || saved.files().isEmpty() ? -1 : saved.files().get(0).offset();
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

    /** Drops lines with an odd number; a drop counts as done for positions. */
    static final class DropOdd implements Stage {
        @Override
        public void process(Entry entry, Emitter out) {
            int n = Integer.parseInt(entry.line().split(" ")[1]);
            if (n % 2 == 1) {
                out.drop(entry, "odd");
            } else {
                out.emit(entry);
            }
        }
    }

    @Test
    void droppedEntriesStillAdvancePositions() throws Exception {
        GateSink sink = new GateSink();
        Path f = write("a.log", 0, 1_001); // the last line is dropped
        ClientPipeline p = pipeline("c", sink, new Metrics(), 64 * 1024, List.of(new DropOdd()));
        await("even lines", () -> sink.count() == 501);
        long size = Files.size(f);
        await("positions at the end of the file", () -> {
            try {
                return savedOffset("c") == size;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(sink.snapshot()).allMatch(l -> Integer.parseInt(l.split(" ")[1]) % 2 == 0);
    }

    /** Holds the latest entry until the next one arrives (multiline's shape) or it is flushed. */
    static final class HoldLast implements Stage {
        Entry held;

        @Override
        public void process(Entry entry, Emitter out) {
            if (held != null) {
                out.emit(held);
            }
            held = entry;
        }

        @Override
        public void flush(Emitter out) {
            if (held != null) {
                out.emit(held);
                held = null;
            }
        }

        @Override
        public boolean holding() {
            return held != null;
        }
    }

    @Test
    void aHeldEntryHoldsBackPositionsUntilItIsLetGo() throws Exception {
        GateSink sink = new GateSink();
        Path f = write("a.log", 0, 100);
        ClientPipeline p = pipeline("c", sink, new Metrics(), 64 * 1024, List.of(new HoldLast()));
        await("all but the held line", () -> sink.count() == 99);
        Thread.sleep(600); // three positions syncs: a wrong chain would have saved the end of the file by now
        assertThat(savedOffset("c")).as("positions never pass the held line").isLessThan(Files.size(f));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        p.requestStop(deadline);
        p.awaitStopped(deadline + Duration.ofSeconds(1).toNanos());
        assertThat(sink.count()).isEqualTo(100);
        assertThat(savedOffset("c")).as("flushed at stop, then acknowledged").isEqualTo(Files.size(f));
    }

    @Test
    void binaryFilesAreSkippedAtOpenAndWhenTheyGrowBinary() throws Exception {
        GateSink sink = new GateSink();
        Metrics metrics = new Metrics();
        Path lastlog = dir.resolve("logs/lastlog.log");
        Files.createDirectories(lastlog.getParent());
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(lastlog.toFile(), "rw")) {
            raf.setLength(1L << 30); // sparse, like /var/log/lastlog with high UIDs
            raf.seek((1L << 30) - 292);
            raf.write("pts/0 10.0.0.1".getBytes(StandardCharsets.US_ASCII));
        }
        Path text = write("a.log", 0, 100);
        pipeline("c", sink, metrics, 64 * 1024);
        await("the text file", () -> sink.count() == 100);
        Files.write(text, new byte[8192], StandardOpenOption.APPEND); // a hole's worth of NULs
        write("a.log", 100, 110);
        Metrics.Counter skipped = metrics.counter("tailflow_files_skipped_total", "", "reason");
        await("both files skipped", () -> skipped.get("binary") == 2);
        assertThat(sink.snapshot()).hasSize(100).noneMatch(l -> l.indexOf(0) >= 0);
    }
}
