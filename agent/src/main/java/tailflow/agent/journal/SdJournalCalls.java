package tailflow.agent.journal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * libsystemd's sd-journal reading API, bound with JNA's direct mapping (static natives
 * registered once, several times faster per call than interface mapping: a journal entry costs
 * one call per field). The class registers itself when first used; if libsystemd.so.0 is missing
 * that first use fails with the loader's reason (see {@link Libsystemd#probe}).
 *
 * <p>Types are those of sd-journal.h for 32- and 64-bit ABIs alike: {@code size_t} is
 * {@link NativeLong} (Linux keeps sizeof(long) == sizeof(size_t)); {@code uint64_t} by value is
 * a Java {@code long} (libffi puts it in an aligned register pair on armv7); out-parameters are
 * caller-owned native memory ({@link Pointer}) read with the right width. Strings go in as
 * NUL-terminated UTF-8 bytes, so the JVM's default charset (ASCII under a bare systemd unit)
 * cannot mangle a path or a match.
 */
final class SdJournalCalls {
    static final String LIBRARY = "libsystemd.so.0";

    static final int SD_JOURNAL_LOCAL_ONLY = 1;

    /** sd_journal_wait results. */
    static final int SD_JOURNAL_NOP = 0;
    static final int SD_JOURNAL_APPEND = 1;
    static final int SD_JOURNAL_INVALIDATE = 2;

    static {
        Native.register(SdJournalCalls.class, NativeLibrary.getInstance(LIBRARY));
    }

    private SdJournalCalls() {}

    static native int sd_journal_open(Pointer ret, int flags);

    static native int sd_journal_open_directory(Pointer ret, byte[] path, int flags);

    /** @param paths a NULL-terminated array of char* */
    static native int sd_journal_open_files(Pointer ret, Pointer paths, int flags);

    static native void sd_journal_close(Pointer j);

    static native int sd_journal_add_match(Pointer j, byte[] data, NativeLong size);

    static native int sd_journal_add_disjunction(Pointer j);

    static native int sd_journal_add_conjunction(Pointer j);

    static native void sd_journal_flush_matches(Pointer j);

    static native int sd_journal_seek_head(Pointer j);

    static native int sd_journal_seek_tail(Pointer j);

    static native int sd_journal_seek_realtime_usec(Pointer j, long usec);

    static native int sd_journal_seek_cursor(Pointer j, byte[] cursor);

    static native int sd_journal_test_cursor(Pointer j, byte[] cursor);

    static native int sd_journal_next(Pointer j);

    static native int sd_journal_previous(Pointer j);

    /** @param usec a uint64_t out-parameter */
    static native int sd_journal_get_realtime_usec(Pointer j, Pointer usec);

    /** @param cursor a char** out-parameter; the string is malloc'ed, the caller frees it */
    static native int sd_journal_get_cursor(Pointer j, Pointer cursor);

    static native void sd_journal_restart_data(Pointer j);

    /** @param data a const void** out-parameter, @param length a size_t out-parameter */
    static native int sd_journal_enumerate_data(Pointer j, Pointer data, Pointer length);

    /** @param field NUL-terminated; @param data a const void** out-parameter, @param length a size_t out-parameter */
    static native int sd_journal_get_data(Pointer j, byte[] field, Pointer data, Pointer length);

    static native int sd_journal_wait(Pointer j, long timeoutUsec);

    static native int sd_journal_process(Pointer j);

    static native int sd_journal_get_fd(Pointer j);
}
