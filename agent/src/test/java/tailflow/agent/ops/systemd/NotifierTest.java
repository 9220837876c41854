package tailflow.agent.ops.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifierTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void sendsExactMessagesToAFilesystemSocket(@TempDir Path dir) {
        String path = dir.resolve("notify").toString();
        try (NotifyReceiver receiver = new NotifyReceiver(path);
                Notifier notifier = Notifier.fromEnvironment(Map.of("NOTIFY_SOCKET", path))) {
            assertThat(notifier.enabled()).isTrue();
            assertThat(notifier.ready("tailing 3 files")).isTrue();
            notifier.status("tailing 3 files,\n12 lines/s");
            notifier.watchdog();
            notifier.reloading("reloading config");
            notifier.stopping("stopping: draining");

            assertThat(receiver.receive(WAIT)).contains("READY=1\nSTATUS=tailing 3 files");
            assertThat(receiver.receive(WAIT)).contains("STATUS=tailing 3 files, 12 lines/s");
            assertThat(receiver.receive(WAIT)).contains("WATCHDOG=1");
            assertThat(receiver.receive(WAIT)).contains("RELOADING=1\nSTATUS=reloading config");
            assertThat(receiver.receive(WAIT)).contains("STOPPING=1\nSTATUS=stopping: draining");
        }
    }

    @Test
    void sendsToAnAbstractSocket() {
        String name = "@tailflow-test-" + UUID.randomUUID();
        try (NotifyReceiver receiver = new NotifyReceiver(name);
                Notifier notifier = Notifier.fromEnvironment(Map.of("NOTIFY_SOCKET", name))) {
            assertThat(notifier.ready("ok")).isTrue();
            assertThat(receiver.receive(WAIT)).contains("READY=1\nSTATUS=ok");
        }
    }

    @Test
    void isANoOpWithoutNotifySocket() {
        try (Notifier notifier = Notifier.fromEnvironment(Map.of())) {
            assertThat(notifier.enabled()).isFalse();
            assertThat(notifier.ready("ok")).isFalse();
            assertThat(notifier.watchdog()).isFalse();
        }
        assertThat(Notifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "")).enabled()).isFalse();
    }

    @Test
    void aVanishedSocketIsReportedNotThrown(@TempDir Path dir) {
        try (Notifier notifier = Notifier.connect(dir.resolve("nobody-listens").toString())) {
            assertThat(notifier.enabled()).isTrue();
            assertThat(notifier.ready("ok")).isFalse();
            assertThat(notifier.ready("ok")).isFalse();
        }
    }

    @Test
    void addressLengthCountsTheRightNul() {
        assertThat(SockaddrUn.of("/run/systemd/notify").length()).isEqualTo(2 + 19 + 1);
        assertThat(SockaddrUn.of("@abc").length()).isEqualTo(2 + 1 + 3);
        SockaddrUn abs = SockaddrUn.of("@abc");
        assertThat(abs.sun_path[0]).isZero();
        assertThat(new String(abs.sun_path, 1, 3)).isEqualTo("abc");
        assertThat(abs.size()).isEqualTo(110);
        assertThatThrownBy(() -> SockaddrUn.of("/" + "x".repeat(107)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 107");
        assertThat(SockaddrUn.of("/" + "x".repeat(106)).length()).isEqualTo(110);
    }
}
