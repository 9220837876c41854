package tailflow.provisioner.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(written, true, StandardCharsets.UTF_8);

    private void run(Progress p) {
        p.start();
        p.block("release 0.1.0-abc -> 2 host(s)");
        p.hosts(List.of("a", "b"));
        p.started("a");
        p.phase("a", "facts");
        p.line("a", "facts", "ok", "x86_64");
        p.started("b");
        p.phase("a", "restart");
        p.line("a", "restart", "changed", "");
        p.finished(new HostResult("a", HostStatus.CHANGED, "", Map.of(), List.of(), List.of(), List.of(), 0));
        p.line("b", "connect", "UNREACHABLE", "no route");
        p.finished(new HostResult("b", HostStatus.UNREACHABLE, "", Map.of(), List.of(), List.of(), List.of(), 0));
        p.close();
    }

    @Test
    void withoutATerminalEveryEventIsOnePlainLine() {
        run(Progress.live(out, Terminal.detect(Map.of("TERM", "xterm"), false, () -> 100), new MutableClock(0)));
        assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo("""
                release 0.1.0-abc -> 2 host(s)
                [a] facts: ok (x86_64)
                [a] restart: changed
                [b] connect: UNREACHABLE (no route)
                """);
    }

    @Test
    void aDumbTerminalGetsThePlainLinesToo() {
        run(Progress.live(out, Terminal.detect(Map.of("TERM", "dumb"), true, () -> 100), new MutableClock(0)));
        assertThat(written.toString(StandardCharsets.UTF_8)).doesNotContain("\033").hasLineCount(4);
    }

    @Test
    void onATerminalTheSameLinesRemainOnceTheViewIsGone() {
        run(Progress.live(out, Terminal.detect(Map.of("TERM", "xterm"), true, () -> 100), new MutableClock(0)));
        String raw = written.toString(StandardCharsets.UTF_8);
        assertThat(raw).contains("\033[");
        assertThat(VirtualScreen.play(raw)).containsExactly("release 0.1.0-abc -> 2 host(s)", "[a] facts: ok (x86_64)",
                "[a] restart: changed", "[b] connect: UNREACHABLE (no route)");
    }

    @Test
    void quietPrintsNothing() {
        run(new Progress(out, true));
        assertThat(written.size()).isZero();
    }
}
