package tailflow.agent.ops.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

/** Raises real signals in this JVM; the handlers are restored afterwards. */
class SignalsTest {
    @Test
    void hupReloadsAndTermStops() throws InterruptedException {
        CountDownLatch reloads = new CountDownLatch(1);
        CountDownLatch stops = new CountDownLatch(1);
        try (Signals ignored = Signals.install(stops::countDown, reloads::countDown)) {
            Signal.raise(new Signal("HUP"));
            assertThat(reloads.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stops.getCount()).isEqualTo(1);
            Signal.raise(new Signal("TERM"));
            assertThat(stops.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
