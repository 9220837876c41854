package tailflow.agent.ops.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.LimitsConfig;
import tailflow.agent.config.PositionsConfig;
import tailflow.agent.config.ServerConfig;
import tailflow.agent.config.TargetConfig;

/** The daemon against a real notify socket; the service is a recorder of the calls it gets. */
class ServiceDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir Path dir;

    /** A minimal config; also used by the other daemon tests. */
    static AgentConfig config(String positionsFile) {
        return new AgentConfig(new ServerConfig("127.0.0.1", 0, 0),
                new PositionsConfig(Path.of(positionsFile), Duration.ofSeconds(10)),
                List.of(), List.of(), new TargetConfig(Duration.ofSeconds(10)),
                new LimitsConfig(256 * 1024, Duration.ofSeconds(1)), Optional.empty(), List.of());
    }

    /** Records what the daemon asks of it; reload throws when told to. */
    private static class RecordingService implements ServiceDaemon.Service {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile boolean failReload;
        volatile boolean reloadLeavesNothing;
        volatile List<String> stalled = List.of();
        final AtomicInteger stalledChecks = new AtomicInteger();
        /** ready() answers true from this call on (1 = at once, 0 = never). */
        volatile int readyFromCheck = 1;
        final AtomicInteger readyChecks = new AtomicInteger();
        final List<String> readyAnswers = new CopyOnWriteArrayList<>();

        @Override
        public boolean ready() {
            int n = readyChecks.incrementAndGet();
            boolean ready = readyFromCheck > 0 && n >= readyFromCheck;
            readyAnswers.add("ready? " + ready);
            return ready;
        }

        @Override
        public void start(AgentConfig config) {
            calls.add("start " + config.positions().filename());
        }

        @Override
        public void reload(AgentConfig config) {
            if (reloadLeavesNothing) {
                throw new ServiceDaemon.Unrecoverable("old config no longer starts", new IllegalStateException());
            }
            if (failReload) {
                throw new IllegalStateException("cannot bind :9080");
            }
            calls.add("reload " + config.positions().filename());
        }

        @Override
        public boolean stop(Duration timeout) {
            calls.add("stop " + timeout.toSeconds() + "s");
            return true;
        }

        @Override
        public String statusLine() {
            return "tailing 2 files, 0 lines/s, no push yet";
        }

        @Override
        public List<String> stalled() {
            stalledChecks.incrementAndGet();
            return stalled;
        }
    }

    @Test
    void readyReloadStopInOrder() throws Exception {
        String socket = dir.resolve("notify").toString();
        AtomicReference<String> configFile = new AtomicReference<>("/var/lib/tailflow/b.yaml");
        ServiceDaemon.ConfigSource source = () -> {
            String name = configFile.get();
            if (name.startsWith("bad")) {
                throw new IllegalArgumentException("agent.yaml:3:5: scrape_configs: expected a list");
            }
            return config(name);
        };
        RecordingService service = new RecordingService();
        try (NotifyReceiver receiver = new NotifyReceiver(socket); Notifier notifier = Notifier.connect(socket)) {
            ServiceDaemon daemon = new ServiceDaemon(source, service, notifier,
                    Optional.of(Duration.ofMillis(20)), Duration.ofHours(1), Duration.ofSeconds(7));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                    () -> daemon.run(config("/var/lib/tailflow/a.yaml")));

            assertThat(receiver.next("STATUS=", WAIT)).isEqualTo("STATUS=starting");
            assertThat(receiver.next("READY=1", WAIT)).isEqualTo("READY=1\nSTATUS=tailing 2 files, 0 lines/s, no push yet");
            assertThat(receiver.next("WATCHDOG=1", WAIT)).isEqualTo("WATCHDOG=1");

            daemon.requestReload();
            assertThat(receiver.next("RELOADING=1", WAIT)).isEqualTo("RELOADING=1\nSTATUS=reloading config");
            assertThat(receiver.next("READY=1", WAIT)).startsWith("READY=1\nSTATUS=tailing 2 files");

            configFile.set("bad.yaml");
            daemon.requestReload();
            assertThat(receiver.next("RELOADING=1", WAIT)).isNotNull();
            assertThat(receiver.next("READY=1", WAIT)).isNotNull();

            configFile.set("/var/lib/tailflow/c.yaml");
            service.failReload = true;
            daemon.requestReload();
            assertThat(receiver.next("READY=1", WAIT)).isNotNull();

            daemon.requestStop();
            assertThat(receiver.next("STOPPING=1", WAIT)).isEqualTo("STOPPING=1\nSTATUS=stopping: draining");
            assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        }
        assertThat(service.calls).containsExactly(
                "start /var/lib/tailflow/a.yaml", "reload /var/lib/tailflow/b.yaml", "stop 7s");
    }

    @Test
    void readyIsSentOnlyOnceTheServiceSaysItIsReady() throws Exception {
        String socket = dir.resolve("notify-ready").toString();
        RecordingService service = new RecordingService();
        service.readyFromCheck = 3;
        try (NotifyReceiver receiver = new NotifyReceiver(socket); Notifier notifier = Notifier.connect(socket)) {
            ServiceDaemon daemon = new ServiceDaemon(() -> config("/p"), service, notifier,
                    Optional.empty(), Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofMinutes(5));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> daemon.run(config("/p")));
            assertThat(receiver.next("READY=1", WAIT)).startsWith("READY=1");
            daemon.requestStop();
            assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        }
        assertThat(service.readyAnswers).containsExactly("ready? false", "ready? false", "ready? true");
        assertThat(service.calls).startsWith("start /p");
    }

    @Test
    void readyIsSentAnywayWhenReadinessDoesNotComeInTime() throws Exception {
        String socket = dir.resolve("notify-late").toString();
        RecordingService service = new RecordingService();
        service.readyFromCheck = 0;
        try (NotifyReceiver receiver = new NotifyReceiver(socket); Notifier notifier = Notifier.connect(socket)) {
            ServiceDaemon daemon = new ServiceDaemon(() -> config("/p"), service, notifier,
                    Optional.empty(), Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofMillis(50));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> daemon.run(config("/p")));
            assertThat(receiver.next("READY=1", WAIT)).startsWith("READY=1");
            daemon.requestStop();
            assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        }
        assertThat(service.readyAnswers).contains("ready? false").doesNotContain("ready? true");
        assertThat(service.readyChecks.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aServiceThatCannotStartExitsWithOneAndNeverReady() throws Exception {
        String socket = dir.resolve("notify").toString();
        ServiceDaemon.Service failing = new RecordingService() {
            @Override
            public void start(AgentConfig config) {
                throw new IllegalStateException("cannot bind 127.0.0.1:9080");
            }
        };
        try (NotifyReceiver receiver = new NotifyReceiver(socket); Notifier notifier = Notifier.connect(socket)) {
            ServiceDaemon daemon = new ServiceDaemon(() -> config("/p"), failing, notifier,
                    Optional.empty(), Duration.ofHours(1), Duration.ofSeconds(1));
            assertThat(daemon.run(config("/p"))).isEqualTo(ServiceDaemon.EXIT_FAILURE);
            assertThat(receiver.receive(WAIT)).contains("STATUS=starting");
            assertThat(receiver.receive(WAIT)).contains("STATUS=start failed: cannot bind 127.0.0.1:9080");
        }
    }

    @Test
    void aFailureStopsWithExitOne() {
        RecordingService service = new RecordingService();
        ServiceDaemon daemon = new ServiceDaemon(() -> config("/p"), service, Notifier.disabled(),
                Optional.empty(), Duration.ofHours(1), Duration.ofSeconds(3));
        daemon.fail("positions file unwritable");
        assertThat(daemon.run(config("/p"))).isEqualTo(ServiceDaemon.EXIT_FAILURE);
        assertThat(service.calls).containsExactly("start /p", "stop 3s");
    }

    @Test
    void aReloadThatLeavesNothingRunningExitsWithOne() {
        RecordingService service = new RecordingService();
        service.reloadLeavesNothing = true;
        ServiceDaemon daemon = new ServiceDaemon(() -> config("/p"), service, Notifier.disabled(),
                Optional.empty(), Duration.ofHours(1), Duration.ofSeconds(3));
        daemon.requestReload();
        daemon.requestStop();
        assertThat(daemon.run(config("/p"))).isEqualTo(ServiceDaemon.EXIT_FAILURE);
        assertThat(service.calls).containsExactly("start /p", "stop 3s");
    }

    @Test
    void watchdogPingsStopWhileAThreadIsStalledAndResumeAfter() throws Exception {
        String socket = dir.resolve("notify").toString();
        RecordingService service = new RecordingService();
        try (NotifyReceiver receiver = new NotifyReceiver(socket); Notifier notifier = Notifier.connect(socket)) {
            ServiceDaemon daemon = new ServiceDaemon(() -> config("/p"), service, notifier,
                    Optional.of(Duration.ofMillis(10)), Duration.ofHours(1), Duration.ofSeconds(1));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> daemon.run(config("/p")));
            receiver.next("WATCHDOG=1", WAIT);

            service.stalled = List.of("logs-sender-loki:3100: no progress for 95s");
            assertThat(receiver.next("STATUS=watchdog", WAIT))
                    .isEqualTo("STATUS=watchdog withheld, stalled: logs-sender-loki:3100: no progress for 95s");
            // several more ticks see the stall; none of them may ping
            int seen = service.stalledChecks.get();
            Instant deadline = Instant.now().plus(WAIT);
            while (service.stalledChecks.get() < seen + 5) {
                assertThat(Instant.now()).as("watchdog ticks go on while withheld").isBefore(deadline);
                Thread.onSpinWait();
            }
            service.stalled = List.of();
            List<String> between = new ArrayList<>();
            String next;
            while (!(next = receiver.receive(WAIT).orElseThrow(() -> new AssertionError("pings did not resume")))
                    .equals("WATCHDOG=1")) {
                between.add(next);
            }
            assertThat(between).containsExactly("STATUS=tailing 2 files, 0 lines/s, no push yet");

            daemon.requestStop();
            assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        }
    }
}
