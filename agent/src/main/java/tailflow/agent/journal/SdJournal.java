package tailflow.agent.journal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One open sd_journal handle: seek, iterate, read an entry's fields, cursor and realtime
 * timestamp, wait for changes. Not thread-safe (neither is sd_journal): one reader thread owns it.
 * Callers check {@link Libsystemd#probe} first; without libsystemd every method fails with a
 * LinkageError.
 */
public final class SdJournal implements AutoCloseable {

    /** What {@link #await} saw. */
    public enum Change { NONE, APPENDED, INVALIDATED }

    /** Receives one field of the current entry as {@code NAME=value} bytes in {@code buf[0..length)}. */
    @FunctionalInterface
    public interface FieldVisitor {
        void field(byte[] buf, int length);
    }

    private final Pointer handle;
    /** Out-parameters: two pointer-sized words, reused by every call (one thread). */
    private final Memory out = new Memory(2L * Native.POINTER_SIZE + 8);
    private final Pointer secondOut = out.share(Native.POINTER_SIZE);
    private byte[] fieldBuf = new byte[512];
    private boolean closed;

    private SdJournal(Pointer handle) {
        this.handle = handle;
    }

    /** The local system journal (/var/log/journal and /run/log/journal), as Promtail opens it. */
    public static SdJournal openSystem() throws JournalException {
        Memory ret = new Memory(Native.POINTER_SIZE);
        check("sd_journal_open", SdJournalCalls.sd_journal_open(ret, SdJournalCalls.SD_JOURNAL_LOCAL_ONLY));
        return new SdJournal(ret.getPointer(0));
    }

    /** Every journal file in {@code dir} (and its machine-id subdirectories). */
    public static SdJournal openDirectory(Path dir) throws JournalException {
        Memory ret = new Memory(Native.POINTER_SIZE);
        check("sd_journal_open_directory(" + dir + ")",
                SdJournalCalls.sd_journal_open_directory(ret, cString(dir.toString()), 0));
        return new SdJournal(ret.getPointer(0));
    }

    /** Exactly these journal files. */
    public static SdJournal openFiles(List<Path> files) throws JournalException {
        Memory[] strings = new Memory[files.size()];
        Memory array = new Memory((long) (files.size() + 1) * Native.POINTER_SIZE);
        for (int i = 0; i < files.size(); i++) {
            byte[] b = cString(files.get(i).toString());
            strings[i] = new Memory(b.length);
            strings[i].write(0, b, 0, b.length);
            array.setPointer((long) i * Native.POINTER_SIZE, strings[i]);
        }
        array.setPointer((long) files.size() * Native.POINTER_SIZE, null);
        Memory ret = new Memory(Native.POINTER_SIZE);
        check("sd_journal_open_files" + files, SdJournalCalls.sd_journal_open_files(ret, array, 0));
        Arrays.fill(strings, null);
        return new SdJournal(ret.getPointer(0));
    }

    /** A {@code FIELD=value} match; several for one field are ORed, different fields ANDed. */
    public void addMatch(String term) throws JournalException {
        byte[] b = term.getBytes(StandardCharsets.UTF_8);
        check("sd_journal_add_match(" + term + ")", SdJournalCalls.sd_journal_add_match(handle, b, new NativeLong(b.length)));
    }

    public void addDisjunction() throws JournalException {
        check("sd_journal_add_disjunction", SdJournalCalls.sd_journal_add_disjunction(handle));
    }

    public void seekHead() throws JournalException {
        check("sd_journal_seek_head", SdJournalCalls.sd_journal_seek_head(handle));
    }

    public void seekTail() throws JournalException {
        check("sd_journal_seek_tail", SdJournalCalls.sd_journal_seek_tail(handle));
    }

    /** Positions before the first entry at or after {@code micros}; {@link #next} then reads it. */
    public void seekRealtime(long micros) throws JournalException {
        check("sd_journal_seek_realtime_usec", SdJournalCalls.sd_journal_seek_realtime_usec(handle, micros));
    }

    /**
     * Positions at the cursor's entry, or the nearest one if it is gone; {@link #next} then reads it
     * and {@link #testCursor} tells which.
     */
    public void seekCursor(String cursor) throws JournalException {
        check("sd_journal_seek_cursor", SdJournalCalls.sd_journal_seek_cursor(handle, cString(cursor)));
    }

    /** Whether the current entry is the one {@code cursor} names. */
    public boolean testCursor(String cursor) throws JournalException {
        return check("sd_journal_test_cursor", SdJournalCalls.sd_journal_test_cursor(handle, cString(cursor))) > 0;
    }

    /** Moves to the next entry; false at the end. */
    public boolean next() throws JournalException {
        return check("sd_journal_next", SdJournalCalls.sd_journal_next(handle)) > 0;
    }

    public boolean previous() throws JournalException {
        return check("sd_journal_previous", SdJournalCalls.sd_journal_previous(handle)) > 0;
    }

    /** The current entry's realtime timestamp, µs since the epoch. */
    public long realtimeMicros() throws JournalException {
        check("sd_journal_get_realtime_usec", SdJournalCalls.sd_journal_get_realtime_usec(handle, out));
        return out.getLong(0);
    }

    public String cursor() throws JournalException {
        check("sd_journal_get_cursor", SdJournalCalls.sd_journal_get_cursor(handle, out));
        Pointer p = out.getPointer(0);
        try {
            return p.getString(0, "US-ASCII");
        } finally {
            Native.free(Pointer.nativeValue(p));
        }
    }

    /** Every field of the current entry, in the journal's order (a field written twice comes twice). */
    public void fields(FieldVisitor visitor) throws JournalException {
        SdJournalCalls.sd_journal_restart_data(handle);
        for (;;) {
            int r = SdJournalCalls.sd_journal_enumerate_data(handle, out, secondOut);
            if (r == 0) {
                return;
            }
            check("sd_journal_enumerate_data", r);
            deliver(visitor);
        }
    }

    /**
     * One field of the current entry ({@code NAME=value} to the visitor; the first if written
     * twice), looked up by name: cheaper than enumerating all when few are wanted.
     *
     * @param nameZ the field name as NUL-terminated ASCII
     * @return false when the entry has no such field
     */
    public boolean field(byte[] nameZ, FieldVisitor visitor) throws JournalException {
        int r = SdJournalCalls.sd_journal_get_data(handle, nameZ, out, secondOut);
        if (r == -Errno.ENOENT) {
            return false;
        }
        check("sd_journal_get_data", r);
        deliver(visitor);
        return true;
    }

    private void deliver(FieldVisitor visitor) throws JournalException {
        Pointer data = out.getPointer(0);
        long length = Native.SIZE_T_SIZE == 8 ? secondOut.getLong(0) : secondOut.getInt(0) & 0xffffffffL;
        if (length > Integer.MAX_VALUE - 8) {
            throw new JournalException("sd_journal_enumerate_data (field of " + length + " bytes)", -105);
        }
        int len = (int) length;
        if (fieldBuf.length < len) {
            fieldBuf = new byte[Math.max(len, fieldBuf.length * 2)];
        }
        data.read(0, fieldBuf, 0, len);
        visitor.field(fieldBuf, len);
    }

    /**
     * Waits up to {@code timeoutMicros} for the journal to change (new entries, files added,
     * rotated or removed).
     */
    public Change await(long timeoutMicros) throws JournalException {
        int r = check("sd_journal_wait", SdJournalCalls.sd_journal_wait(handle, timeoutMicros));
        return switch (r) {
            case SdJournalCalls.SD_JOURNAL_APPEND -> Change.APPENDED;
            case SdJournalCalls.SD_JOURNAL_INVALIDATE -> Change.INVALIDATED;
            default -> Change.NONE;
        };
    }

    /**
     * Starts watching the journal's directories with inotify now. libsystemd otherwise starts at the
     * first {@link #await}, and misses files created before it (a rotation between open and the
     * first wait would go unseen).
     */
    public void watch() throws JournalException {
        check("sd_journal_get_fd", SdJournalCalls.sd_journal_get_fd(handle));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            SdJournalCalls.sd_journal_close(handle);
        }
    }

    private static int check(String call, int r) throws JournalException {
        if (r < 0) {
            throw new JournalException(call, r);
        }
        return r;
    }

    private static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + 1);
    }
}
