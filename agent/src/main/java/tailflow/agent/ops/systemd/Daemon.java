package tailflow.agent.ops.systemd;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import tailflow.agent.config.AgentConfig;

/**
 * What {@code AgentMain} calls to run the agent as a daemon: logging set up for where stderr goes,
 * sd_notify from the environment, SIGTERM/SIGINT/SIGHUP routed, and {@link ServiceDaemon} run.
 */
public final class Daemon {
    /** How often STATUS= is refreshed for {@code systemctl status}. */
    static final Duration STATUS_PERIOD = Duration.ofSeconds(10);
    /** Drain budget on stop; the unit's TimeoutStopSec=30s leaves a margin for the JVM to exit. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);
    /** How long READY=1 waits for readiness; well inside the unit's start timeout. */
    static final Duration READY_WAIT = Duration.ofSeconds(5);

    private Daemon() {}

    /** Sets up the agent's own logging on stderr; call first, so even config errors come out right. */
    public static void installLogging() {
        AgentLogging.install(System.getenv(), Path.of("/proc/self/fd/2"), Clock.systemUTC(), System.err, Level.INFO);
    }

    /**
     * Runs {@code service} with {@code config} until SIGTERM/SIGINT (exit 0) or a failure (1); SIGHUP
     * reloads through {@code reloadSource}. Returns the exit code.
     */
    public static int run(AgentConfig config, ServiceDaemon.ConfigSource reloadSource, ServiceDaemon.Service service) {
        Map<String, String> env = System.getenv();
        try (Notifier notifier = Notifier.fromEnvironment(env)) {
            ServiceDaemon daemon = new ServiceDaemon(reloadSource, service, notifier,
                    Watchdog.pingInterval(env, ProcessHandle.current().pid()), STATUS_PERIOD, DRAIN_TIMEOUT, READY_WAIT);
            Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
            // A pipeline thread that dies must not leave an "active" unit shipping nothing.
            Thread.setDefaultUncaughtExceptionHandler(new FailOnThreadDeath(daemon::fail));
            try (Signals signals = Signals.install(daemon::requestStop, daemon::requestReload)) {
                return daemon.run(config);
            } finally {
                Thread.setDefaultUncaughtExceptionHandler(previous);
            }
        }
    }
}
