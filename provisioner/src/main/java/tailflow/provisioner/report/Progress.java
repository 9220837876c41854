package tailflow.provisioner.report;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a run prints as it goes. Always one line per host per step, as it happens:
 * {@code [tfh1] release: changed (release 0.1.0-ab12 missing)}; lines from parallel hosts never
 * interleave mid-line. On a terminal ({@link #live}) a view of the whole fleet (hosts done /
 * failed / running with their current phase / waiting) stays below those lines, redrawn in
 * place; elsewhere the host and phase events print nothing, so pipes and logs get the plain lines.
 */
public final class Progress implements AutoCloseable {

    /** How often the live view is redrawn (its elapsed times move on). */
    public static final Duration REDRAW = Duration.ofMillis(200);
    /** Running hosts listed one per line in the live view. */
    public static final int HOST_LINES = 12;

    private final PrintStream out;
    private final boolean quiet;
    private final FleetBoard board;
    private final Optional<LiveScreen> screen;

    /** Plain lines (or nothing but what the caller prints itself, when {@code quiet}). */
    public Progress(PrintStream out, boolean quiet) {
        this(out, quiet, new FleetBoard(Clock.systemUTC()), Optional.empty());
    }

    private Progress(PrintStream out, boolean quiet, FleetBoard board, Optional<LiveScreen> screen) {
        this.out = out;
        this.quiet = quiet;
        this.board = board;
        this.screen = screen;
    }

    /** The step lines plus the live view below them; call {@link #start()} to begin redrawing. */
    public static Progress live(PrintStream out, Terminal terminal, Clock clock) {
        if (!terminal.live()) {
            return new Progress(out, false);
        }
        FleetBoard board = new FleetBoard(clock);
        return new Progress(out, false, board, Optional.of(new LiveScreen(out, terminal, board, new LiveFrame(HOST_LINES), clock)));
    }

    /** Begins redrawing the live view, if there is one. */
    public void start() {
        screen.ifPresent(s -> s.start(REDRAW));
    }

    public void line(String host, String step, String status, String detail) {
        print("[" + host + "] " + step + ": " + status + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
    }

    public void block(String text) {
        print(text);
    }

    /** The run's hosts, in order: all waiting. */
    public void hosts(List<String> names) {
        board.hosts(names);
        redraw();
    }

    public void started(String host) {
        board.started(host);
        redraw();
    }

    /** The phase a running host is in now (connect, facts, plan, upload, unpack, a step's name, verify, rollback). */
    public void phase(String host, String phase) {
        board.phase(host, phase);
        redraw();
    }

    public void finished(HostResult result) {
        board.finished(result.host(), result.status());
        redraw();
    }

    /** Removes the live view (the recap follows in plain lines). */
    @Override
    public void close() {
        screen.ifPresent(LiveScreen::close);
    }

    private void redraw() {
        screen.ifPresent(LiveScreen::redraw);
    }

    private void print(String text) {
        if (quiet) {
            return;
        }
        if (screen.isPresent()) {
            screen.get().print(text);
            return;
        }
        synchronized (out) {
            out.print(text.endsWith("\n") ? text : text + "\n");
            out.flush();
        }
    }
}
