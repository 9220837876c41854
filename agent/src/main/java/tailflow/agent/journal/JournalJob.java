package tailflow.agent.journal;

import tailflow.agent.config.JournalConfig;

/** What a journal job's reader and dry-run share: its position key and how its journal is opened. */
public final class JournalJob {
    private JournalJob() {}

    /** Promtail's positions key for a journal job ({@code positions.CursorKey}). */
    public static String positionKey(String jobName) {
        return "cursor-" + jobName;
    }

    /** The key older Promtail versions wrote; read when {@link #positionKey} is absent. */
    public static String legacyPositionKey(String jobName) {
        return "journal-" + jobName;
    }

    /** Opens the job's journal (its path or the system journal) with its matches added. */
    public static SdJournal open(JournalConfig config) throws JournalException {
        SdJournal j = config.path().isPresent() ? SdJournal.openDirectory(config.path().get()) : SdJournal.openSystem();
        try {
            j.watch();
            for (JournalConfig.Match m : config.matches()) {
                j.addMatch(m.term());
            }
            return j;
        } catch (JournalException e) {
            j.close();
            throw e;
        }
    }
}
