package tailflow.agent.ops.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tailflow.agent.config.AgentConfig;

/** A worker thread that dies of an exception ends the daemon's run with exit 1 (systemd restarts it). */
class FailOnThreadDeathTest {

    private static AgentConfig config() {
        return ServiceDaemonTest.config("/p");
    }

    /** Starts a worker that throws, the way a pipeline thread dies of a bug. */
    private static final class DyingWorkerService implements ServiceDaemon.Service {
        final List<String> calls = new CopyOnWriteArrayList<>();
        private final Thread.UncaughtExceptionHandler handler;

        DyingWorkerService(Thread.UncaughtExceptionHandler handler) {
            this.handler = handler;
        }

        @Override
        public void start(AgentConfig config) {
            calls.add("start");
            Thread worker = new Thread(() -> {
                throw new IndexOutOfBoundsException("bug in a pipeline");
            }, "logs-reader-test");
            worker.setUncaughtExceptionHandler(handler);
            worker.start();
        }

        @Override
        public void reload(AgentConfig config) {
            calls.add("reload");
        }

        @Override
        public boolean stop(Duration timeout) {
            calls.add("stop");
            return true;
        }

        @Override
        public String statusLine() {
            return "running";
        }
    }

    @Test
    @Timeout(30) // without the handler run() would wait for a stop request forever
    void aDeadWorkerThreadStopsTheDaemonWithExitOne() {
        ServiceDaemon[] daemon = new ServiceDaemon[1];
        FailOnThreadDeath handler = new FailOnThreadDeath(reason -> daemon[0].fail(reason));
        DyingWorkerService service = new DyingWorkerService(handler);
        daemon[0] = new ServiceDaemon(FailOnThreadDeathTest::config, service, Notifier.disabled(),
                Optional.empty(), Duration.ofHours(1), Duration.ofSeconds(3));

        // run() returns only because the worker's death asked it to: no stop request is ever sent.
        assertThat(daemon[0].run(config())).isEqualTo(ServiceDaemon.EXIT_FAILURE);
        assertThat(service.calls).containsExactly("start", "stop");
    }
}
