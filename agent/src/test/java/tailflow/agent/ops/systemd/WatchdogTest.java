package tailflow.agent.ops.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchdogTest {
    @Test
    void pingsAtHalfTheTimeout() {
        assertThat(Watchdog.pingInterval(Map.of("WATCHDOG_USEC", "60000000"), 42))
                .contains(Duration.ofSeconds(30));
        assertThat(Watchdog.pingInterval(Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "42"), 42))
                .contains(Duration.ofSeconds(30));
    }

    @Test
    void noWatchdogWhenUnsetInvalidOrForAnotherProcess() {
        assertThat(Watchdog.pingInterval(Map.of(), 42)).isEmpty();
        assertThat(Watchdog.pingInterval(Map.of("WATCHDOG_USEC", "soon"), 42)).isEmpty();
        assertThat(Watchdog.pingInterval(Map.of("WATCHDOG_USEC", "0"), 42)).isEmpty();
        assertThat(Watchdog.pingInterval(Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "7"), 42)).isEmpty();
    }
}
