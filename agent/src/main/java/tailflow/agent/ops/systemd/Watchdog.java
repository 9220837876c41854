package tailflow.agent.ops.systemd;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/** When and whether to send WATCHDOG=1, from the environment systemd sets with {@code WatchdogSec=}. */
public final class Watchdog {
    public static final String ENV_USEC = "WATCHDOG_USEC";
    public static final String ENV_PID = "WATCHDOG_PID";

    private Watchdog() {}

    /**
     * Half of {@code WATCHDOG_USEC} (as systemd recommends, so one late ping does not trip it), or
     * empty when no watchdog is set, the value is not a positive number, or {@code WATCHDOG_PID}
     * names another process (the variable was inherited, the watchdog is not ours).
     */
    public static Optional<Duration> pingInterval(Map<String, String> env, long pid) {
        String usec = env.get(ENV_USEC);
        if (usec == null || usec.isBlank()) {
            return Optional.empty();
        }
        String watchdogPid = env.get(ENV_PID);
        if (watchdogPid != null && !watchdogPid.isBlank() && !watchdogPid.strip().equals(Long.toString(pid))) {
            return Optional.empty();
        }
        long micros;
        try {
            micros = Long.parseLong(usec.strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (micros <= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.of(micros, ChronoUnit.MICROS).dividedBy(2));
    }
}
