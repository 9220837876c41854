package tailflow.provisioner.report;

import java.util.Map;
import java.util.function.IntSupplier;

/**
 * What standard output is: a terminal that can take a live, redrawn view (and how wide it is now),
 * or anything else (a pipe, a file, a dumb terminal), which gets plain lines.
 *
 * @param live  redraw a view in place with ANSI cursor movement
 * @param color colour the view (off with NO_COLOR, as no-color.org asks)
 * @param width columns right now (asked per frame: terminals get resized)
 */
public record Terminal(boolean live, boolean color, IntSupplier width) {

    /** Plain lines, no escape sequences: pipes, files, {@code TERM=dumb}. */
    public static Terminal plain() {
        return new Terminal(false, false, () -> 80);
    }

    /**
     * @param env         the environment ({@code TERM}, {@code NO_COLOR}, {@code COLUMNS})
     * @param interactive whether stdin and stdout are a terminal ({@code System.console() != null})
     * @param columns     the terminal's width when it can be asked (0 when not)
     */
    public static Terminal detect(Map<String, String> env, boolean interactive, IntSupplier columns) {
        String term = env.getOrDefault("TERM", "");
        if (!interactive || term.isEmpty() || term.equals("dumb")) {
            return plain();
        }
        // no-color.org: NO_COLOR set to anything but the empty string turns colour off (cursor movement stays).
        boolean color = env.getOrDefault("NO_COLOR", "").isEmpty();
        int fallback = parseColumns(env.get("COLUMNS"));
        return new Terminal(true, color, () -> {
            int c = columns.getAsInt();
            return c > 0 ? c : fallback;
        });
    }

    /** The process's own standard output. */
    public static Terminal ofStdout() {
        boolean interactive = System.console() != null;
        return detect(System.getenv(), interactive, interactive ? WindowSize.ofStdout() : () -> 0);
    }

    private static int parseColumns(String columns) {
        try {
            int c = columns == null ? 0 : Integer.parseInt(columns.strip());
            return c > 0 ? c : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
