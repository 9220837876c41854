package tailflow.provisioner.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tailflow.provisioner.report.FleetBoard.Row;
import tailflow.provisioner.report.FleetBoard.Snapshot;
import tailflow.provisioner.report.FleetBoard.Stage;

/**
 * Renders the live view of a run as text lines: a summary (hosts done / failed / running /
 * waiting, elapsed time), then one line per running host with its current phase and how long it
 * has been in it. Every line fits in {@code width - 1} columns, so the terminal never wraps one
 * and the view can be erased by counting lines. Pure: the time and the width are arguments.
 */
public final class LiveFrame {

    private static final String RESET = "\033[0m";
    private static final String GREEN = "\033[32m";
    private static final String RED = "\033[31m";
    private static final String DIM = "\033[2m";

    private final int maxHostLines;

    /** @param maxHostLines running hosts listed one per line; the rest are counted on one line */
    public LiveFrame(int maxHostLines) {
        this.maxHostLines = Math.max(1, maxHostLines);
    }

    public List<String> render(Snapshot s, long nowMillis, int width, boolean color) {
        int columns = Math.max(10, width) - 1;
        List<String> lines = new ArrayList<>();
        long done = s.count(HostStatus.OK) + s.count(HostStatus.CHANGED);
        long failed = s.count(HostStatus.FAILED);
        long unreachable = s.count(HostStatus.UNREACHABLE);
        long skipped = s.count(HostStatus.SKIPPED);
        List<Row> running = s.running();
        Line summary = new Line(columns, color)
                .add("hosts " + s.rows().size() + ": ")
                .add(done + " done", done > 0 ? GREEN : "")
                .add(", ")
                .add((failed + unreachable) + " failed" + (unreachable > 0 ? " (" + unreachable + " unreachable)" : ""),
                        failed + unreachable > 0 ? RED : "")
                .add(", " + running.size() + " running, " + s.count(Stage.WAITING) + " waiting")
                .add(skipped > 0 ? ", " + skipped + " skipped" : "")
                .add("  " + elapsed(nowMillis - s.startedAt()), DIM);
        lines.add(summary.text());
        int hostWidth = running.stream().mapToInt(r -> r.host().length()).max().orElse(0);
        int phaseWidth = running.stream().mapToInt(r -> r.phase().length()).max().orElse(0);
        int shown = running.size() > maxHostLines ? maxHostLines - 1 : running.size();
        for (Row r : running.subList(0, shown)) {
            lines.add(new Line(columns, color)
                    .add("  " + pad(r.host(), hostWidth) + "  " + pad(r.phase(), phaseWidth) + "  ")
                    .add(elapsed(nowMillis - r.since()), DIM).text());
        }
        if (shown < running.size()) {
            lines.add(new Line(columns, color).add("  ... and " + (running.size() - shown) + " more running").text());
        }
        return lines;
    }

    /** "4.1s" under a minute, "2m05s" above. */
    static String elapsed(long millis) {
        long ms = Math.max(0, millis);
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    /** A line of coloured segments cut at a number of visible columns (escape sequences take none). */
    private static final class Line {

        private final int columns;
        private final boolean color;
        private final StringBuilder text = new StringBuilder();
        private int visible;

        Line(int columns, boolean color) {
            this.columns = columns;
            this.color = color;
        }

        Line add(String segment) {
            return add(segment, "");
        }

        Line add(String segment, String sgr) {
            String cut = segment.substring(0, Math.min(segment.length(), Math.max(0, columns - visible)));
            if (cut.isEmpty()) {
                return this;
            }
            boolean colored = color && !sgr.isEmpty();
            text.append(colored ? sgr : "").append(cut).append(colored ? RESET : "");
            visible += cut.length();
            return this;
        }

        String text() {
            return text.toString();
        }
    }
}
