package tailflow.provisioner.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveScreenTest {

    private final MutableClock clock = new MutableClock(0);
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(written, true, StandardCharsets.UTF_8);
    private final Terminal terminal = new Terminal(true, false, () -> 60);

    private List<String> screen() {
        return VirtualScreen.play(written.toString(StandardCharsets.UTF_8));
    }

    @Test
    void linesPrintAboveTheViewWhichIsDrawnOnceAtTheBottom() {
        Progress p = Progress.live(out, terminal, clock);
        p.hosts(List.of("a", "b"));
        p.started("a");
        p.phase("a", "facts");
        p.line("a", "facts", "ok", "x86_64");
        p.started("b");
        clock.advance(1500);
        p.phase("a", "upload");
        p.line("b", "connect", "UNREACHABLE", "no route");
        p.finished(new HostResult("b", HostStatus.UNREACHABLE, "", java.util.Map.of(), List.of(), List.of(), List.of(), 0));
        clock.advance(500);
        assertThat(screen()).containsExactly(
                "[a] facts: ok (x86_64)",
                "[b] connect: UNREACHABLE (no route)",
                "hosts 2: 0 done, 1 failed (1 unreachable), 1 running, 0 wai", // cut at 59 columns
                "  a  upload  0.0s");
        p.close();
    }

    @Test
    void aRedrawMovesTheClockOnWithoutLeavingOldFramesBehind() {
        FleetBoard board = new FleetBoard(clock);
        LiveScreen s = new LiveScreen(out, terminal, board, new LiveFrame(12), clock);
        board.hosts(List.of("a"));
        board.started("a");
        board.phase("a", "restart");
        s.redraw();
        clock.advance(2300);
        s.redraw();
        s.redraw();
        assertThat(screen()).containsExactly("hosts 1: 0 done, 0 failed, 1 running, 0 waiting  2.3s", "  a  restart  2.3s");
        s.close();
    }

    @Test
    void closingRemovesTheViewAndLeavesThePrintedLines() {
        Progress p = Progress.live(out, terminal, clock);
        p.hosts(List.of("a"));
        p.started("a");
        p.line("a", "restart", "changed", "");
        p.close();
        p.line("a", "late", "ok", "");
        assertThat(screen()).containsExactly("[a] restart: changed", "[a] late: ok");
    }

    @Test
    void theTickerRedrawsOnItsOwnAndStopsOnClose() throws Exception {
        Progress p = Progress.live(out, terminal, clock);
        p.hosts(List.of("a"));
        int before = written.size();
        p.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (written.size() == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(written.size()).as("the ticker drew a frame within 10 s").isGreaterThan(before);
        p.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("progress-view") && t.isAlive());
        assertThat(screen()).isEmpty();
    }
}
