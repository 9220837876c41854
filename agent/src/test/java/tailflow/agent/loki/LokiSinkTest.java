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
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import tailflow.agent.component.Component;
import tailflow.agent.component.Health;
import tailflow.agent.config.ClientConfig;
import tailflow.agent.ops.metrics.Metrics;

class LokiSinkTest {

    private final Deque<Integer> statuses = new ArrayDeque<>();
    private final List<Integer> bodySizes = new ArrayList<>();
    private final List<Duration> sleeps = new ArrayList<>();
    private final Metrics metrics = new Metrics();
    private final Health health = new Health(() -> 0);
    private long nanos;

    private LokiSink sink() {
        LokiSink.Transport t = (body, len, type, enc, tenant) -> {
            bodySizes.add(len);
            int s = statuses.isEmpty() ? 204 : statuses.poll();
            nanos += Duration.ofSeconds(20).toNanos(); // every push takes 20 s of the test's clock
            String message = switch (s) {
                case 400 -> "entry too far behind";
                case 401 -> "no org id";
                default -> "";
            };
            return new LokiHttp.Answer(s, message);
        };
        return new LokiSink(t, ClientConfig.PushEncoding.PROTOBUF,
                new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5), new SplittableRandom(1)),
                sleeps::add, () -> nanos, "loki:3100", metrics, health, Duration.ofSeconds(10));
    }

    private static Batch batch(int n) {
        Batch b = new Batch();
        for (int i = 0; i < n; i++) {
            b.add(tailflow.agent.pipeline.Labels.of("job", "a"), ("line " + i).getBytes(StandardCharsets.UTF_8), 1_000L + i, 0);
        }
        return b;
    }

    @Test
    void retriesWithGrowingJitteredBackoffUntilAccepted() throws Exception {
        statuses.addAll(List.of(429, -1, 503, 502));
        sink().deliver(batch(3));
        assertThat(sleeps).hasSize(4);
        assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
        assertThat(sleeps.get(3)).isBetween(Duration.ofMillis(2000), Duration.ofMillis(4000));
        assertThat(metrics.counter("tailflow_batch_retries_total", "", "host").get("loki:3100")).isEqualTo(4);
        assertThat(metrics.counter("tailflow_sent_entries_total", "", "host").get("loki:3100")).isEqualTo(3);
    }

    @Test
    void rejected400IsDroppedAndCountedNotRetried() throws Exception {
        statuses.add(400);
        sink().deliver(batch(5));
        assertThat(sleeps).isEmpty();
        assertThat(metrics.counter("tailflow_dropped_entries_total", "", "host", "reason").get("loki:3100", "rejected"))
                .isEqualTo(5);
    }

    @Test
    void repeated500SplitsTheBatchInHalves() throws Exception {
        statuses.addAll(List.of(500, 500, 204, 204));
        sink().deliver(batch(10));
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

    @Test
    void unauthorizedIsAConfigErrorRetriedLoggedOnceAMinuteCountedAndShownByReady() throws Exception {
        health.running(List.of(new Component() {
            @Override
            public String name() {
                return "logs";
            }

            @Override
            public void start() {}

            @Override
            public void stop(Duration timeout) {}
        }));
        List<String> errors = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel() == Level.SEVERE) {
                    errors.add(r.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(LokiSink.class.getName());
        logger.addHandler(capture);
        try {
            LokiSink sink = sink();
            // 7 refusals 20 s apart (the fake clock): logged at 20 s, 80 s and 140 s only
            statuses.addAll(List.of(401, 401, 401, 401, 401, 401, 401));
            // deliver() returns: after the refusals comes a 204 (the fake transport's default)
            sink.deliver(batch(2));
            assertThat(errors).hasSize(3).allSatisfy(e -> assertThat(e)
                    .contains("Loki loki:3100 answers 401 Unauthorized (check basic_auth / bearer_token): no org id")
                    .contains("nothing is lost"));
            assertThat(sleeps).hasSize(7);
            assertThat(metrics.counter("tailflow_push_config_errors_total", "", "host", "status_code")
                    .get("loki:3100", "401")).isEqualTo(7);
            assertThat(metrics.counter("tailflow_sent_entries_total", "", "host").get("loki:3100")).isEqualTo(2);
            assertThat(health.ready()).as("the 204 at the end clears the problem").isTrue();

            statuses.addAll(List.of(404, 404));
            sink.deliver(batch(1));
            assertThat(errors).hasSize(4).last().asString().contains("404 Not Found (check the url");
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void readyNamesTheConfigErrorWhileItLasts() throws Exception {
        List<List<String>> why = new ArrayList<>();
        LokiSink.Transport t = (body, len, type, enc, tenant) -> new LokiHttp.Answer(403, "tenant has no access");
        int[] calls = {0};
        LokiSink sink = new LokiSink((body, len, type, enc, tenant) -> calls[0]++ == 0 ? t.post(body, len, type, enc, tenant)
                : new LokiHttp.Answer(204, ""), ClientConfig.PushEncoding.JSON,
                new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5), new SplittableRandom(1)),
                d -> why.add(health.notReady()), () -> 0, "loki:3100", metrics, health, Duration.ofSeconds(10));
        sink.deliver(batch(1));
        assertThat(why).containsExactly(List.of("nothing runs",
                "loki loki:3100: answers 403 Forbidden (check the credentials' rights and tenant_id): tenant has no access"));
        assertThat(health.notReady()).containsExactly("nothing runs");
    }

    @Test
    void aPushThatNeverReturnsStallsTheSenderHeartbeatButWaitsAndBackoffsDoNot() throws Exception {
        long[] now = {0};
        Health clocked = new Health(() -> now[0]);
        java.util.concurrent.CountDownLatch inPush = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        int[] calls = {0};
        LokiSink.Transport wedging = (body, len, type, enc, tenant) -> {
            if (calls[0]++ == 0) {
                return new LokiHttp.Answer(503, "");
            }
            inPush.countDown();
            release.await(); // e.g. a body that never comes after the headers
            return new LokiHttp.Answer(204, "");
        };
        List<Duration> backoffs = new ArrayList<>();
        LokiSink sink = new LokiSink(wedging, ClientConfig.PushEncoding.PROTOBUF,
                new Backoff(Duration.ofMinutes(4), Duration.ofMinutes(5), new SplittableRandom(1)), d -> {
                    backoffs.add(d);
                    now[0] += d.toNanos(); // the backoff takes minutes: not a stall
                    assertThat(clocked.stalled()).isEmpty();
                }, () -> now[0], "loki:3100", metrics, clocked, Duration.ofSeconds(10));
        now[0] = Duration.ofHours(1).toNanos();
        assertThat(clocked.stalled()).as("idle before the first batch").isEmpty();
        Thread sender = new Thread(() -> {
            try {
                sink.deliver(batch(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        try {
            assertThat(inPush.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(backoffs).hasSize(1);
            now[0] += Duration.ofSeconds(50).toNanos(); // 2 x 10 s timeout + 30 s
            assertThat(clocked.stalled()).isEmpty();
            now[0] += Duration.ofSeconds(1).toNanos();
            assertThat(clocked.stalled()).containsExactly("logs-sender-loki:3100: no progress for 51s");
        } finally {
            release.countDown();
            sender.join(10_000);
        }
        now[0] += Duration.ofHours(1).toNanos();
        assertThat(clocked.stalled()).as("idle after the batch").isEmpty();
    }
}
