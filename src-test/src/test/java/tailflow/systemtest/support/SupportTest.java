package tailflow.systemtest.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The test harness itself: output drained while a program runs, waits that fail with their message. */
class SupportTest {

    @Test
    void commandDrainsMoreOutputThanAPipeHoldsWhileTheProgramRuns() {
        // 1 MiB on stdout and on stderr: a runner that reads only after waitFor would block here
        CommandResult result = Command.shell("head -c 1048576 /dev/zero | tr '\\0' a; head -c 1048576 /dev/zero >&2; exit 3")
                .timeout(Duration.ofSeconds(30)).run();
        assertThat(result.timedOut()).isFalse();
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).hasSize(1 << 20).matches("a+");
        assertThat(result.stderr()).hasSize(1 << 20);
        assertThatThrownBy(result::requireOk).hasMessageContaining("exited 3");
    }

    @Test
    void commandPassesStdinAndMergesStderrInOrder() {
        CommandResult result = Command.shell("cat; echo err >&2; echo out").stdin("in\n".getBytes(StandardCharsets.UTF_8))
                .mergeStderr().run().requireOk();
        assertThat(result.stdout()).isEqualTo("in\nerr\nout\n");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void commandPastItsDeadlineIsKilledAndSaysSo() {
        CommandResult result = Command.of("sleep", "600").timeout(Duration.ofMillis(200)).run();
        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(124);
        assertThatThrownBy(result::requireFinished).hasMessageContaining("sleep 600 did not finish within PT0.2S");
    }

    @Test
    void waitReturnsOnceTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Wait.upTo(Duration.ofSeconds(30), "three polls").every(Duration.ofMillis(1)).until(() -> polls.incrementAndGet() == 3);
        assertThat(polls).hasValue(3);
    }

    @Test
    void waitFailsWithWhatItWaitedForAndTheContext() {
        assertThatThrownBy(() -> Wait.upTo(Duration.ofMillis(20), "the marker at Loki").until(() -> false, () -> "agent log: x"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("waited PT0.02S for the marker at Loki; agent log: x");
        assertThat(Wait.upTo(Duration.ofMillis(20), "never").poll(() -> false)).isFalse();
    }

    @Test
    void waitEndsAtOnceWhenTheConditionThrows() {
        assertThatThrownBy(() -> Wait.upTo(Duration.ofDays(1), "a dead process").until(() -> {
            throw new IllegalStateException("process exited 1");
        })).isInstanceOf(IllegalStateException.class).hasMessage("process exited 1");
    }

    @Test
    void udpCollectorKeepsEveryDatagramInOrder() throws Exception {
        try (UdpCollector collector = UdpCollector.onLoopback(); DatagramSocket sender = new DatagramSocket()) {
            for (String payload : new String[] {"one", "two", "three"}) {
                byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
                sender.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), collector.port()));
            }
            Wait.upTo(Duration.ofSeconds(10), "three datagrams").until(() -> collector.count() == 3);
            assertThat(collector.datagrams()).extracting(b -> new String(b, StandardCharsets.UTF_8))
                    .containsExactly("one", "two", "three");
        }
    }

    @Test
    void missingPreconditionsFailWithTheRemedyAndNoStackTrace() {
        Machine.require(); // nothing needed, nothing missing
        Machine.MachineNotReady error = new Machine.MachineNotReady(java.util.List.of(Need.TSHARK));
        assertThat(error.getMessage()).contains("tshark (apt-get install tshark)").contains("src-test/setup-test-machine.sh");
        assertThat(error.getStackTrace()).isEmpty();
    }

    @Test
    void freePortIsBindable() throws Exception {
        int port = FreePort.pick();
        try (java.net.ServerSocket socket = new java.net.ServerSocket(port)) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
