package tailflow.agent.journal;

import com.sun.jna.NativeLibrary;
import java.util.Optional;

/** Whether libsystemd's journal API can be used here, and if not, why. */
public final class Libsystemd {
    private Libsystemd() {}

    /**
     * Empty when libsystemd.so.0 loads and its journal calls bind; otherwise the reason, worded for
     * the log and the dry-run. Safe to call repeatedly: the library is looked up each time so the
     * loader's own message is kept (a failed class initialisation only says so once).
     */
    public static Optional<String> probe() {
        return probe(SdJournalCalls.LIBRARY);
    }

    /** As {@link #probe()} for a library name of the caller's (tests name one that does not exist). */
    static Optional<String> probe(String library) {
        try {
            NativeLibrary.getInstance(library).getFunction("sd_journal_open");
        } catch (UnsatisfiedLinkError e) {
            return Optional.of(library + " not found (" + e.getMessage().lines().findFirst().orElse("")
                    + "): the journal is read through libsystemd, present on every systemd host (Debian: libsystemd0)");
        } catch (LinkageError e) {
            return Optional.of("JNA does not load here: " + e);
        }
        try {
            Class.forName(SdJournalCalls.class.getName(), true, Libsystemd.class.getClassLoader());
            return Optional.empty();
        } catch (ClassNotFoundException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Optional.of(SdJournalCalls.LIBRARY + " lacks a journal call tailflow needs: " + cause.getMessage());
        }
    }
}
