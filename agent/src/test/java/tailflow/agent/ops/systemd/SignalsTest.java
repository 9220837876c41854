package tailflow.agent.ops.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

/** Raises real signals in this JVM (handlers restored afterwards), and starts one JVM with SIGHUP ignored. */
class SignalsTest {
    @Test
    void hupReloadsAndTermStops() throws InterruptedException {
        CountDownLatch reloads = new CountDownLatch(1);
        CountDownLatch stops = new CountDownLatch(1);
        try (Signals signals = Signals.install(stops::countDown, reloads::countDown)) {
            if (SignalDisposition.ignored(SignalDisposition.SIGHUP).orElseThrow()) {
                // this test JVM runs under nohup: SIGHUP cannot arrive, and the agent says so
                assertThat(signals.reloadBySighup()).isFalse();
            } else {
                assertThat(signals.reloadBySighup()).isTrue();
                Signal.raise(new Signal("HUP"));
                assertThat(reloads.await(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(stops.getCount()).isEqualTo(1);
            Signal.raise(new Signal("TERM"));
            assertThat(stops.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aJvmStartedWithHupIgnoredSaysReloadIsUnavailable() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // sh's trap '' sets SIG_IGN, which exec keeps: what nohup does
        Process p = new ProcessBuilder("sh", "-c", "trap '' HUP; exec \"$@\"", "sh", java.toString(),
                "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(output).contains(Signals.HUP_IGNORED).contains("reloadBySighup=false");
    }

    /** Runs in the child JVM: installs the handlers and reports. */
    public static final class Probe {
        public static void main(String[] args) {
            Logger root = Logger.getLogger("");
            for (Handler h : root.getHandlers()) {
                root.removeHandler(h);
            }
            root.addHandler(new Handler() {
                @Override
                public void publish(LogRecord r) {
                    System.out.println(r.getLevel() + " " + r.getMessage());
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            });
            try (Signals signals = Signals.install(() -> {}, () -> {})) {
                System.out.println("reloadBySighup=" + signals.reloadBySighup());
            }
        }
    }
}
