package tailflow.systemtest.logs;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.LockSupport;

/**
 * Appends {@code seq=NNNNNNN ...} lines (about 100 bytes, syslog-like) to a file at a steady
 * rate, like a daemon: it keeps its file open and only reopens the path when told to (after a
 * rotation by rename) or every {@code reopenEvery} lines (a daemon that reopens per write burst,
 * for logrotate's create mode). Bounded: stops after {@code total} lines.
 */
final class NumberedWriter implements Runnable {

    private final Path file;
    private final int total;
    private final int linesPerSecond;
    private final int reopenEvery;
    private final AtomicInteger written = new AtomicInteger();
    private volatile boolean reopen;
    private volatile Throwable failure;
    private final ReentrantLock writing = new ReentrantLock();

    /** Something done to the file while no line is being written (copytruncate's copy and truncate). */
    interface FileAction {
        void run() throws IOException;
    }

    NumberedWriter(Path file, int total, int linesPerSecond, int reopenEvery) {
        this.file = file;
        this.total = total;
        this.linesPerSecond = linesPerSecond;
        this.reopenEvery = reopenEvery;
    }

    static String line(int seq) {
        return String.format("Nov 25 12:00:00 host app[%d]: seq=%07d request handled path=/api/v1/items status=200 bytes=%d%n",
                seq % 32768, seq, seq * 7 % 100000);
    }

    /** Parses the number back out of a line, or -1. */
    static int seqOf(String line) {
        int i = line.indexOf("seq=");
        if (i < 0 || i + 11 > line.length()) {
            return -1;
        }
        try {
            return Integer.parseInt(line.substring(i + 4, i + 11));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    void reopen() {
        reopen = true;
    }

    /**
     * Runs {@code action} between two lines: a copytruncate done this way loses nothing, so a test
     * can demand every line exactly once (logrotate itself cannot pause the writer).
     */
    void between(FileAction action) throws IOException {
        writing.lock();
        try {
            action.run();
        } finally {
            writing.unlock();
        }
    }

    int written() {
        return written.get();
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        OutputStream out = null;
        try {
            out = new FileOutputStream(file.toFile(), true);
            for (int seq = 1; seq <= total; seq++) {
                if (reopen || reopenEvery > 0 && seq % reopenEvery == 0) {
                    reopen = false;
                    out.close();
                    out = new FileOutputStream(file.toFile(), true);
                }
                writing.lock();
                try {
                    out.write(line(seq).getBytes(StandardCharsets.US_ASCII));
                } finally {
                    writing.unlock();
                }
                written.set(seq);
                long due = start + (long) seq * 1_000_000_000L / linesPerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            try {
                if (out != null) {
                    out.close();
                }
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
