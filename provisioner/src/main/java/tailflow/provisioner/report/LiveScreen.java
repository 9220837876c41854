package tailflow.provisioner.report;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live view on a terminal: the current {@link LiveFrame} stays at the bottom and is redrawn in
 * place; lines printed meanwhile appear above it and scroll away as usual. The frame is erased
 * by moving the cursor up over the lines it took and clearing to the end of the screen, so nothing
 * is drawn twice and no line is torn: all writes go through this one lock.
 */
public final class LiveScreen implements AutoCloseable {

    private static final String ERASE_TO_END = "\033[J";

    private final PrintStream out;
    private final Terminal terminal;
    private final FleetBoard board;
    private final LiveFrame frame;
    private final Clock clock;
    private ScheduledExecutorService ticker;
    private int drawnLines;
    private boolean closed;

    public LiveScreen(PrintStream out, Terminal terminal, FleetBoard board, LiveFrame frame, Clock clock) {
        this.out = out;
        this.terminal = terminal;
        this.board = board;
        this.frame = frame;
        this.clock = clock;
    }

    /** Redraws every {@code period} (elapsed times move on) until {@link #close()}. */
    public synchronized void start(Duration period) {
        if (ticker != null || closed) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress-view");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::redraw, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Prints {@code text} (one or more lines) above the view. */
    public synchronized void print(String text) {
        StringBuilder b = new StringBuilder(erase());
        text.lines().forEach(l -> b.append(l).append('\n'));
        if (!closed) {
            b.append(draw());
        }
        write(b);
    }

    public synchronized void redraw() {
        if (!closed) {
            write(new StringBuilder(erase()).append(draw()));
        }
    }

    /** Stops redrawing and removes the view; later prints are plain lines. */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            closed = true;
            t = ticker;
            write(new StringBuilder(erase()));
        }
        if (t != null) {
            t.shutdownNow();
            try {
                // A redraw is a few microseconds of work, but on a loaded machine the thread may not
                // be scheduled for a while; close() promises the view is gone, thread included.
                t.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String erase() {
        if (drawnLines == 0) {
            return "";
        }
        String up = "\r\033[" + drawnLines + "A" + ERASE_TO_END;
        drawnLines = 0;
        return up;
    }

    private String draw() {
        FleetBoard.Snapshot snapshot = board.snapshot();
        if (snapshot.rows().isEmpty()) {
            return ""; // no hosts yet: nothing worth a frame
        }
        List<String> lines = frame.render(snapshot, clock.millis(), terminal.width().getAsInt(), terminal.color());
        drawnLines = lines.size();
        StringBuilder b = new StringBuilder();
        lines.forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }

    private void write(StringBuilder b) {
        if (b.isEmpty()) {
            return;
        }
        synchronized (out) {
            out.print(b);
            out.flush();
        }
    }
}
