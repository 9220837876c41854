package tailflow.agent.ops.systemd;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import tailflow.agent.config.AgentConfig;

/**
 * The agent's life as a daemon: start with the config loaded by the command line, tell systemd
 * READY=1, then serve reload and stop requests one at a time on the calling thread until stopped;
 * STATUS= and WATCHDOG=1 go out from a small scheduler meanwhile. WATCHDOG=1 is sent only while
 * no thread of the service is stalled, so a wedged pipeline gets the agent restarted by systemd
 * ({@code WatchdogSec=} with {@code Restart=on-failure}) instead of an "active" unit shipping nothing.
 *
 * <p>Requests come from signal handlers ({@link Signals}) or from the service itself ({@link #fail});
 * they are queued so that a reload never runs concurrently with another reload or the stop.
 */
public final class ServiceDaemon {
    /** Exit code when the service could not start or failed while running. */
    public static final int EXIT_FAILURE = 1;

    private static final Logger LOG = Logger.getLogger(ServiceDaemon.class.getName());

    /** What the daemon runs: the agent's pipelines. */
    public interface Service {
        void start(AgentConfig config) throws Exception;

        /**
         * Applies {@code config} entirely, or throws and keeps running on the previous one; throws
         * {@link Unrecoverable} when neither config runs any more.
         */
        void reload(AgentConfig config) throws Exception;

        /** Drains and stops within {@code timeout}; false when something was still pending. */
        boolean stop(Duration timeout);

        /** One line for {@code systemctl status}: files tailed, lines/s, last push. */
        String statusLine();

        /**
         * Ready as {@code /ready} means it (every source opened, pushes going through); READY=1 waits
         * for it a little, so {@code systemctl start} returning means {@code /ready} answers 200.
         */
        default boolean ready() {
            return true;
        }

        /** Threads that stopped making progress ({@link tailflow.agent.component.HealthView#stalled}); empty when all move. */
        default List<String> stalled() {
            return List.of();
        }
    }

    /** A reload left the service running nothing: exit non-zero so that systemd restarts it. */
    public static final class Unrecoverable extends RuntimeException {
        public Unrecoverable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Reads the config file again (SIGHUP); the exception message names file:line:column and key. */
    public interface ConfigSource {
        AgentConfig load() throws Exception;
    }

    private sealed interface Request permits Reload, Stop, Fail {}

    private record Reload() implements Request {}

    private record Stop() implements Request {}

    private record Fail(String reason) implements Request {}

    private final ConfigSource configSource;
    private final Service service;
    private final Notifier notifier;
    private final Optional<Duration> watchdogInterval;
    private final Duration statusPeriod;
    private final Duration drainTimeout;
    private final Duration readyWait;
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();

    /**
     * @param watchdogInterval how often to send WATCHDOG=1 ({@link Watchdog#pingInterval}), empty for never
     * @param statusPeriod how often to refresh STATUS=
     * @param drainTimeout what {@link Service#stop} gets; keep it below the unit's TimeoutStopSec
     */
    public ServiceDaemon(ConfigSource configSource, Service service, Notifier notifier,
            Optional<Duration> watchdogInterval, Duration statusPeriod, Duration drainTimeout) {
        this(configSource, service, notifier, watchdogInterval, statusPeriod, drainTimeout, Duration.ZERO);
    }

    /**
     * @param readyWait how long READY=1 waits for {@link Service#ready} after the start (then it is
     *     sent anyway: a source that cannot open or a Loki that is down must not fail the start)
     */
    public ServiceDaemon(ConfigSource configSource, Service service, Notifier notifier,
            Optional<Duration> watchdogInterval, Duration statusPeriod, Duration drainTimeout, Duration readyWait) {
        this.readyWait = readyWait;
        this.configSource = configSource;
        this.service = service;
        this.notifier = notifier;
        this.watchdogInterval = watchdogInterval;
        this.statusPeriod = statusPeriod;
        this.drainTimeout = drainTimeout;
    }

    /** Asks for the config file to be read again (SIGHUP). */
    public void requestReload() {
        requests.add(new Reload());
    }

    /** Asks for a drain and a clean exit (SIGTERM, SIGINT). */
    public void requestStop() {
        requests.add(new Stop());
    }

    /** The service cannot go on: stop and exit non-zero, so that Restart=on-failure restarts it. */
    public void fail(String reason) {
        requests.add(new Fail(reason));
    }

    /** Starts with {@code config} and runs until stopped; returns the process exit code. */
    public int run(AgentConfig config) {
        notifier.status("starting");
        try {
            service.start(config);
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "cannot start: " + message(e), e);
            notifier.status("start failed: " + message(e));
            service.stop(drainTimeout);
            return EXIT_FAILURE;
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tailflow-sd-notify");
            t.setDaemon(true);
            return t;
        });
        try {
            boolean ready = awaitReady();
            notifier.ready(safeStatus());
            LOG.log(JournalLevel.NOTICE, (ready ? "started: " : "started, not ready yet: ") + safeStatus());
            WatchdogGate gate = new WatchdogGate(notifier, this::safeStatus);
            watchdogInterval.ifPresent(every -> ticker.scheduleAtFixedRate(
                    () -> gate.tick(safeStalled()), 0, every.toMillis(), TimeUnit.MILLISECONDS));
            ticker.scheduleAtFixedRate(() -> notifier.status(safeStatus()),
                    statusPeriod.toMillis(), statusPeriod.toMillis(), TimeUnit.MILLISECONDS);
            int exitCode = serve();
            notifier.stopping("stopping: draining");
            LOG.log(JournalLevel.NOTICE, "stopping: draining for at most " + drainTimeout.toSeconds() + "s");
            boolean drained = service.stop(drainTimeout);
            if (!drained) {
                LOG.warning("stopped before everything was drained; unsent lines stay in the files"
                        + " and are sent after the next start");
            }
            LOG.log(JournalLevel.NOTICE, "stopped");
            return exitCode;
        } finally {
            ticker.shutdownNow();
        }
    }

    private int serve() {
        while (true) {
            Request request;
            try {
                request = requests.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            if (request instanceof Stop) {
                return 0;
            } else if (request instanceof Fail f) {
                LOG.severe("stopping after a failure: " + f.reason());
                return EXIT_FAILURE;
            } else if (!reload()) {
                return EXIT_FAILURE;
            }
        }
    }

    /** False when the service no longer runs at all. */
    private boolean reload() {
        notifier.reloading("reloading config");
        try {
            AgentConfig config = configSource.load();
            service.reload(config);
            LOG.log(JournalLevel.NOTICE, "config reloaded");
        } catch (Unrecoverable e) {
            LOG.log(Level.SEVERE, "reload failed and the previous config could not be restored: " + message(e), e);
            return false;
        } catch (Exception e) {
            LOG.warning("reload failed, still running on the previous config: " + message(e));
        }
        notifier.ready(safeStatus());
        return true;
    }

    /**
     * Waits up to {@link #readyWait} for the sources' first scan, checking every 10 ms (the scan is
     * the reader thread's first step, a few milliseconds after the start). True if ready in time.
     */
    private boolean awaitReady() {
        long end = System.nanoTime() + readyWait.toNanos();
        while (true) {
            try {
                if (service.ready()) {
                    return true;
                }
            } catch (RuntimeException e) {
                return false;
            }
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private String safeStatus() {
        try {
            return service.statusLine();
        } catch (RuntimeException e) {
            return "status unavailable: " + message(e);
        }
    }

    private List<String> safeStalled() {
        try {
            return service.stalled();
        } catch (RuntimeException e) {
            return List.of("health check failed: " + message(e));
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
