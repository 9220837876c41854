package tailflow.agent.logs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads one file (one identity) line by line from an offset.
 *
 * <p>The tailer keeps no line bytes between calls: {@link #readOffset()} is always the start of
 * the next unconsumed line, and a partial last line is simply read again on the next poll. So
 * memory is one shared read buffer per pipeline, not one per file, and the offset handed to
 * positions is always a line boundary.
 *
 * <p>Lines: split on {@code \n}, a trailing {@code \r} stripped; a last line without newline is
 * only emitted once the file has not grown for {@code partialWaitNanos} (or on a forced flush);
 * a line longer than {@code maxLineSize} is cut there (at a UTF-8 boundary) and the rest up to
 * its newline skipped. UTF-8 repair is the sink's job (it copies the bytes anyway).
 *
 * <p>Just over 400 lines: the split loop, the partial-line wait and the over-long-line skip all
 * move the same read-buffer state and offsets; split into classes they would hand that state around
 * on the per-line hot path.
 */
public final class FileTailer implements Closeable {

    /** Receives lines; returns false to refuse (e.g. the batch is full): the line is offered again later. */
    public interface LineSink {
        /** {@code ascii}: the tailer saw no byte >= 0x80 in the line, so it needs no UTF-8 check (false: unknown). */
        boolean line(FileTailer tailer, byte[] buf, int off, int len, long start, long end, boolean truncated, boolean ascii);
    }

    /** What a poll ended with. */
    public enum PollResult { EOF, WAITING_PARTIAL, SINK_FULL, BUDGET, TRUNCATED, BINARY }

    /** A reusable read buffer shared by all tailers of one thread. */
    public static final class ReadBuffer {
        final byte[] bytes;
        final ByteBuffer wrapped;
        final byte[] skip = new byte[64 * 1024];
        final ByteBuffer skipWrapped = ByteBuffer.wrap(skip);

        public ReadBuffer(int maxLineSize) {
            bytes = new byte[Math.max(256 * 1024, maxLineSize + 1)];
            wrapped = ByteBuffer.wrap(bytes);
        }
    }

    private final FileIdentity identity;
    private final Path path;
    private final FileChannel channel;
    private final int maxLineSize;
    private final long partialWaitNanos;
    private long readOffset;
    private long lastSize = -1;
    private long lastGrowthNanos;
    private boolean rotated;
    private long rotatedSinceNanos;

    public FileTailer(FileIdentity identity, Path path, FileChannel channel, long offset, int maxLineSize,
            long partialWaitNanos, long nowNanos) {
        this.identity = identity;
        this.path = path;
        this.channel = channel;
        this.readOffset = offset;
        this.maxLineSize = maxLineSize;
        this.partialWaitNanos = partialWaitNanos;
        this.lastGrowthNanos = nowNanos;
    }

    /**
     * Opens {@code path}, checking that it still is {@code expected} after the open (a rename
     * between stat and open would otherwise attach the wrong file to an identity).
     */
    public static FileTailer open(Path path, FileIdentity expected, long offset, int maxLineSize,
            long partialWaitNanos, long nowNanos) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        FileIdentity actual = FileIdentity.ofOrNull(path);
        if (!expected.equals(actual)) {
            ch.close();
            throw new IOException(path + " changed identity while being opened (" + expected + " -> " + actual + ")");
        }
        return new FileTailer(expected, path, ch, offset, maxLineSize, partialWaitNanos, nowNanos);
    }

    public FileIdentity identity() {
        return identity;
    }

    /** Where the file was opened (not necessarily where it is now). */
    public Path path() {
        return path;
    }

    public long readOffset() {
        return readOffset;
    }

    public long size() throws IOException {
        return channel.size();
    }

    /** The open file, for content checks (never for reading lines: that is {@link #poll}'s job). */
    FileChannel channel() {
        return channel;
    }

    public long lastSize() {
        return lastSize;
    }

    /** Restarts at 0 after a copytruncate. */
    public void restartAt(long offset) {
        readOffset = offset;
        lastSize = -1;
        tailLength = 0;
    }

    private static final int FINGERPRINT = 64;
    private final byte[] tailBytes = new byte[FINGERPRINT];
    private int tailLength;

    /** The last bytes consumed were b[end - count, end): keep the final {@value #FINGERPRINT} of them. */
    private void remember(byte[] b, int end, int count) {
        if (count <= 0) {
            return;
        }
        if (count >= FINGERPRINT) {
            System.arraycopy(b, end - FINGERPRINT, tailBytes, 0, FINGERPRINT);
            tailLength = FINGERPRINT;
            return;
        }
        int keep = Math.min(tailLength, FINGERPRINT - count);
        System.arraycopy(tailBytes, tailLength - keep, tailBytes, 0, keep);
        System.arraycopy(b, end - count, tailBytes, keep, count);
        tailLength = keep + count;
    }

    /** Whether the tailer knows the last bytes it consumed (not right after an open or a restart at 0). */
    public boolean hasFingerprint() {
        return tailLength > 0;
    }

    /**
     * Whether {@code other} holds the bytes this tailer consumed last, at the same offsets: the
     * test that a file is the copy copytruncate made of this one.
     */
    public boolean isCopyOfWhatWasRead(FileChannel other) throws IOException {
        if (tailLength == 0 || other.size() < readOffset) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(tailLength);
        long at = readOffset - tailLength;
        while (b.hasRemaining()) {
            if (other.read(b, at + b.position()) <= 0) {
                return false;
            }
        }
        return java.util.Arrays.equals(b.array(), 0, tailLength, tailBytes, 0, tailLength);
    }

    /** {@code n} bytes at {@code position}, or null if the file is shorter. */
    public byte[] readAt(long position, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) <= 0) {
                return null;
            }
        }
        return b.array();
    }

    private final ByteBuffer check = ByteBuffer.allocate(FINGERPRINT);

    /**
     * Whether the bytes just before the read offset are still the ones consumed: false after a
     * copytruncate whose new content already grew past the read offset (the size alone would not
     * show the truncation, and reading on would splice two files).
     */
    private boolean stillHoldsWhatWasRead() throws IOException {
        check.clear().limit(tailLength);
        long at = readOffset - tailLength;
        while (check.hasRemaining()) {
            if (channel.read(check, at + check.position()) <= 0) {
                return false;
            }
        }
        return java.util.Arrays.equals(check.array(), 0, tailLength, tailBytes, 0, tailLength);
    }

    public boolean rotated() {
        return rotated;
    }

    public void markRotated(long nowNanos) {
        if (!rotated) {
            rotated = true;
            rotatedSinceNanos = nowNanos;
        }
    }

    public long rotatedSinceNanos() {
        return rotatedSinceNanos;
    }

    public long lastGrowthNanos() {
        return lastGrowthNanos;
    }

    /** Nanos (on the poll clock) at which a waiting partial line becomes due. */
    public long partialDueNanos() {
        return lastGrowthNanos + partialWaitNanos;
    }

    /**
     * Reads lines from {@link #readOffset()} into the sink.
     *
     * @param flushPartial emit a last line without newline now (shutdown, rotated file drained)
     * @param budget       stop after about this many bytes so other files get their turn
     */
    public PollResult poll(ReadBuffer rb, LineSink sink, long nowNanos, boolean flushPartial, long budget) throws IOException {
        long size = channel.size();
        if (size < readOffset) {
            return PollResult.TRUNCATED;
        }
        if (size != lastSize && tailLength > 0 && !stillHoldsWhatWasRead()) {
            return PollResult.TRUNCATED;
        }
        if (size != lastSize) {
            lastSize = size;
            lastGrowthNanos = nowNanos;
        }
        long consumed = 0;
        byte[] buf = rb.bytes;
        while (readOffset < size) {
            if (consumed >= budget) {
                return PollResult.BUDGET;
            }
            rb.wrapped.clear();
            int want = (int) Math.min(buf.length, size - readOffset);
            rb.wrapped.limit(want);
            int n = 0;
            while (n < want) {
                int r = channel.read(rb.wrapped, readOffset + n);
                if (r <= 0) {
                    break;
                }
                n += r;
            }
            if (n == 0) {
                return PollResult.EOF;
            }
            if (BinaryContent.indexOfNul(buf, 0, Math.min(n, BinaryContent.GROWTH_SAMPLE)) >= 0) {
                return PollResult.BINARY; // nothing of this chunk was consumed
            }
            int lineStart = 0;
            for (int i = lineEnd(buf, 0, n); i >= 0; i = lineEnd(buf, lineStart, n)) {
                int len = i - lineStart;
                if (len > 0 && buf[i - 1] == '\r') {
                    len--;
                }
                boolean truncated = len > maxLineSize;
                if (truncated) {
                    len = maxLineSize;
                }
                long start = readOffset + lineStart;
                if (!sink.line(this, buf, lineStart, len, start, readOffset + i + 1, truncated, lineAscii)) {
                    readOffset = start;
                    remember(buf, lineStart, lineStart); // the lines before it were consumed
                    return PollResult.SINK_FULL;
                }
                lineStart = i + 1;
            }
            long chunkStart = readOffset;
            readOffset += lineStart;
            consumed += lineStart;
            remember(buf, lineStart, lineStart);
            if (lineStart == n) {
                continue;
            }
            // bytes [lineStart, n) are an incomplete line
            int rest = n - lineStart;
            if (lineStart == 0 && rest > maxLineSize && n == buf.length) {
                PollResult r = emitLongLine(rb, sink, size, chunkStart, nowNanos, flushPartial);
                if (r != null) {
                    return r;
                }
                continue;
            }
            if (chunkStart + n < size) {
                continue; // the buffer ended mid-line but the file has more: read on from the line start
            }
            if (flushPartial || nowNanos - lastGrowthNanos >= partialWaitNanos) {
                int len = Math.min(rest, maxLineSize);
                if (!sink.line(this, buf, lineStart, len, readOffset, chunkStart + n, rest > maxLineSize, false)) {
                    return PollResult.SINK_FULL;
                }
                readOffset = chunkStart + n;
                remember(buf, n, rest);
                return PollResult.EOF;
            }
            return PollResult.WAITING_PARTIAL;
        }
        return PollResult.EOF;
    }

    /**
     * The buffer holds the first bytes of a line longer than the buffer: find its newline with
     * the skip buffer, then emit the head. Returns null when the line was emitted.
     */
    private PollResult emitLongLine(ReadBuffer rb, LineSink sink, long size, long start, long nowNanos, boolean flushPartial)
            throws IOException {
        long pos = start + rb.bytes.length;
        while (pos < size) {
            rb.skipWrapped.clear();
            rb.skipWrapped.limit((int) Math.min(rb.skip.length, size - pos));
            int n = channel.read(rb.skipWrapped, pos);
            if (n <= 0) {
                break;
            }
            int nl = indexOf(rb.skip, 0, n);
            if (nl >= 0) {
                if (!sink.line(this, rb.bytes, 0, maxLineSize, start, pos + nl + 1, true, false)) {
                    return PollResult.SINK_FULL;
                }
                readOffset = pos + nl + 1;
                tailLength = 0; // no fingerprint after a skipped long line
                return null;
            }
            pos += n;
        }
        if (flushPartial || nowNanos - lastGrowthNanos >= partialWaitNanos) {
            if (!sink.line(this, rb.bytes, 0, maxLineSize, start, size, true, false)) {
                return PollResult.SINK_FULL;
            }
            readOffset = size;
            tailLength = 0;
            return PollResult.EOF;
        }
        return PollResult.WAITING_PARTIAL;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** Whether the line {@link #lineEnd} found last has only ASCII bytes. */
    private boolean lineAscii;

    /**
     * {@link #indexOf} that also notes in {@link #lineAscii} whether the bytes before the newline are
     * all ASCII: one pass over the bytes instead of this search plus the sink's UTF-8 check (the two
     * were 47 % of the reader thread's samples, notes/logs-perf.md).
     */
    private int lineEnd(byte[] b, int from, int to) {
        int i = from;
        long seen = 0; // OR of every byte before the newline: its high bits say whether any was >= 0x80
        while (i + 8 <= to) {
            long w = (long) LONGS.get(b, i);
            long x = w ^ NEWLINES;
            long found = (x - LOW_BITS) & ~x & HIGH_BITS; // lowest set bit marks the first '\n' exactly
            if (found != 0) {
                int k = Long.numberOfTrailingZeros(found) >>> 3;
                seen |= w & ((1L << (k << 3)) - 1); // only the k bytes before it (k = 0: none)
                lineAscii = (seen & HIGH_BITS) == 0;
                return i + k;
            }
            seen |= w;
            i += 8;
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c == '\n') {
                lineAscii = (seen & HIGH_BITS) == 0;
                return i;
            }
            seen |= c & 0xFF;
        }
        return -1;
    }

    /** First '\n' in [from, to), eight bytes at a time (SWAR zero-byte test), or -1. */
    static int indexOf(byte[] b, int from, int to) {
        int i = from;
        while (i + 8 <= to) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            long found = (x - LOW_BITS) & ~x & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += 8;
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
