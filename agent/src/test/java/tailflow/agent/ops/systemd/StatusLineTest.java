package tailflow.agent.ops.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tailflow.agent.component.Component;
import tailflow.agent.component.Health;
import tailflow.agent.ops.metrics.Metrics;

class StatusLineTest {
    /** A clock the test moves by hand. */
    private static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void summarisesFilesRateAndLastPushFromTheMetrics() {
        Metrics metrics = new Metrics();
        Health health = new Health(() -> 0);
        health.running(List.of(new Named("logs")));
        StepClock clock = new StepClock();
        StatusLine status = new StatusLine(metrics, health, clock);
        assertThat(status.next()).isEqualTo("tailing 0 files, 0 entries sent, no push yet");

        metrics.gauge(StatusLine.FILES, "files").set(10);
        Metrics.Counter lines = metrics.counter(StatusLine.LINES, "lines", "path");
        lines.labels("/var/log/a.log").add(30);
        lines.labels("/var/log/b.log").add(20);
        metrics.counter(StatusLine.SENT, "sent", "host").labels("loki:3100").add(50);
        clock.now = clock.now.plusSeconds(10);
        assertThat(status.next()).isEqualTo("tailing 10 files, 5.0 lines/s, 50 entries sent, last push 0s ago");

        clock.now = clock.now.plusSeconds(4);
        metrics.counter(StatusLine.FLOWS, "flows").labels().add(7);
        metrics.counter(StatusLine.DATAGRAMS, "datagrams").labels().add(3);
        assertThat(status.next()).isEqualTo(
                "tailing 10 files, 0.0 lines/s, 50 entries sent, last push 4s ago; sflow: 7 flow samples, 3 datagrams");
    }

    @Test
    void saysWhatIsNotReadyAndWhichThreadsStalled() {
        long[] now = {0};
        Health health = new Health(() -> now[0]);
        health.running(List.of(new Named("logs")));
        StatusLine status = new StatusLine(new Metrics(), health, new StepClock());
        health.problem("loki 10.0.0.1:3100", "answers 401: no org id");
        health.heartbeat("logs-sender-10.0.0.1:3100", Duration.ofSeconds(30));
        now[0] = Duration.ofSeconds(31).toNanos();
        assertThat(status.next()).isEqualTo("tailing 0 files, 0 entries sent, no push yet;"
                + " waiting for: loki 10.0.0.1:3100: answers 401: no org id;"
                + " watchdog withheld, stalled: logs-sender-10.0.0.1:3100: no progress for 31s");
    }

    private record Named(String name) implements Component {
        @Override
        public void start() {}

        @Override
        public void stop(Duration timeout) {}
    }
}
