package tailflow.agent.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Readiness, problems and heartbeats, on a monotonic clock the test moves by hand. */
class HealthTest {
    private long now;
    private final Health health = new Health(() -> now);

    private static Component component(String name, boolean ready) {
        return new Component() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start() {}

            @Override
            public void stop(Duration timeout) {}

            @Override
            public boolean ready() {
                return ready;
            }
        };
    }

    private static long seconds(long s) {
        return TimeUnit.SECONDS.toNanos(s);
    }

    @Test
    void readyWhenEveryComponentIsAndNoProblemIsReported() {
        assertThat(health.ready()).isFalse();
        assertThat(health.notReady()).containsExactly("nothing runs");
        health.running(List.of(component("http", true), component("logs", false)));
        assertThat(health.notReady()).containsExactly("logs");
        health.running(List.of(component("http", true), component("logs", true)));
        assertThat(health.ready()).isTrue();

        health.problem("loki 10.0.0.1:3100", "answers 401 Unauthorized: no org id");
        assertThat(health.ready()).isFalse();
        assertThat(health.notReady()).containsExactly("loki 10.0.0.1:3100: answers 401 Unauthorized: no org id");
        health.resolved("loki 10.0.0.1:3100");
        assertThat(health.ready()).isTrue();
    }

    @Test
    void aThreadBlockedInACallIsStalledOnceItsSilenceRunsOut() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Heartbeat heartbeat = health.heartbeat("logs-sender-loki:3100", Duration.ofSeconds(30));
        Thread wedged = new Thread(() -> {
            heartbeat.beat();
            entered.countDown();
            try {
                release.await(); // a push that never returns
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        wedged.start();
        try {
            assertThat(entered.await(10, TimeUnit.SECONDS)).as("thread entered the blocking call").isTrue();
            now = seconds(30);
            assertThat(health.stalled()).isEmpty();
            now = seconds(31);
            assertThat(health.stalled()).containsExactly("logs-sender-loki:3100: no progress for 31s");
        } finally {
            release.countDown();
            wedged.join(10_000);
        }
    }

    @Test
    void waitingForWorkAndBackingOffAreNotStalls() {
        Heartbeat sender = health.heartbeat("sender", Duration.ofSeconds(30));
        Heartbeat reader = health.heartbeat("reader", Duration.ofSeconds(30));
        sender.idle();
        reader.pausing(Duration.ofMinutes(5));
        now = seconds(300 + 30);
        assertThat(health.stalled()).isEmpty();
        now = seconds(300 + 31);
        assertThat(health.stalled()).containsExactly("reader: no progress for 331s");
        reader.beat();
        assertThat(health.stalled()).isEmpty();
        sender.beat();
        now += seconds(31);
        assertThat(health.stalled()).containsExactly("reader: no progress for 31s", "sender: no progress for 31s");
    }

    @Test
    void closedHeartbeatsAndThoseOfStoppedComponentsNoLongerCount() {
        Heartbeat closed = health.heartbeat("closed", Duration.ofSeconds(1));
        health.heartbeat("left behind by a component that stopped", Duration.ofSeconds(1));
        closed.close();
        now = seconds(5);
        assertThat(health.stalled()).containsExactly("left behind by a component that stopped: no progress for 5s");
        health.problem("loki", "401");
        health.stopped();
        assertThat(health.stalled()).isEmpty();
        assertThat(health.notReady()).containsExactly("nothing runs");
    }
}
