package tailflow.agent.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Binary files are not logs. The usual glob {@code /var/log/*log} matches {@code lastlog} (sparse:
 * with high UIDs gigabytes of NUL bytes) and {@code faillog} (fixed binary records) on every
 * Debian host. A text log has no NUL byte, so a NUL is the test (as {@code grep} and {@code file}
 * decide "binary"), applied to samples so that it costs nothing per line: the first and the last
 * {@value #SAMPLE} bytes when a file is opened, and the first {@value #GROWTH_SAMPLE} bytes of
 * every chunk read as it grows (a hole written into a sparse file reads as NULs).
 */
public final class BinaryContent {

    /** The reason a skipped file is shown and counted with. */
    public static final String REASON = "binary";
    static final int SAMPLE = 4096;
    static final int GROWTH_SAMPLE = 512;

    private BinaryContent() {}

    /** Why {@code path} is not read as a log ("binary (NUL bytes)"), or empty if it looks like text. */
    public static Optional<String> check(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return check(ch);
        } catch (IOException e) {
            return Optional.empty(); // unreadable is reported by discovery and open, not here
        }
    }

    static Optional<String> check(FileChannel ch) throws IOException {
        long size = ch.size();
        if (hasNul(ch, 0, (int) Math.min(SAMPLE, size))
                || size > SAMPLE && hasNul(ch, Math.max(SAMPLE, size - SAMPLE), (int) Math.min(SAMPLE, size - SAMPLE))) {
            return Optional.of(REASON + " (NUL bytes)");
        }
        return Optional.empty();
    }

    private static boolean hasNul(FileChannel ch, long at, int n) throws IOException {
        if (n <= 0) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) <= 0) {
                break;
            }
        }
        return indexOfNul(b.array(), 0, b.position()) >= 0;
    }

    /** First NUL in b[from, to), or -1. */
    static int indexOfNul(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
