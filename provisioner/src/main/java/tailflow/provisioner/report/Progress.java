package tailflow.provisioner.report;

import java.io.PrintStream;

/**
 * One line per host per step, as it happens: {@code [tfh1] release: changed (release 0.1.0-ab12 missing)}.
 * Lines from parallel hosts never interleave mid-line.
 */
public final class Progress {

    private final PrintStream out;
    private final boolean quiet;

    public Progress(PrintStream out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    public void line(String host, String step, String status, String detail) {
        if (quiet) {
            return;
        }
        synchronized (out) {
            out.println("[" + host + "] " + step + ": " + status + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
            out.flush();
        }
    }

    public void block(String text) {
        if (quiet) {
            return;
        }
        synchronized (out) {
            out.print(text.endsWith("\n") ? text : text + "\n");
            out.flush();
        }
    }
}
