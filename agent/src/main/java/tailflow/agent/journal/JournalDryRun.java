package tailflow.agent.journal;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tailflow.agent.config.JournalConfig;
import tailflow.agent.relabel.Relabeler;

/**
 * The dry-run's section for one journal job: libsystemd, the directories and files it would read
 * (readable or not, and why), where it would start (cursor or time), and the labels relabelling
 * gives a sample of the most recent entries. Reads the journal, sends nothing, saves nothing.
 */
public final class JournalDryRun {
    static final int SAMPLE = 5;

    private final JournalAccess access;
    private final long nowMicros;

    public JournalDryRun(JournalAccess access, long nowMicros) {
        this.access = access;
        this.nowMicros = nowMicros;
    }

    public Map<String, Object> report(String jobName, JournalConfig config, Optional<String> savedCursor,
            Relabeler relabel) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_name", jobName);
        m.put("journal", config.path().map(Path::toString).orElse("system journal"));
        m.put("position_key", JournalJob.positionKey(jobName));
        List<Path> dirs = config.path().map(List::of).orElse(JournalAccess.SYSTEM_DIRS);
        m.put("files", access.report(dirs));
        if (!config.matches().isEmpty()) {
            m.put("matches", config.matches().stream().map(JournalConfig.Match::term).toList());
        }
        Optional<String> missing = Libsystemd.probe();
        if (missing.isPresent()) {
            m.put("status", "unavailable: " + missing.get());
            return m;
        }
        try (SdJournal j = JournalJob.open(config)) {
            m.put("start", JournalStart.seek(j, savedCursor, nowMicros, config.maxAge().toNanos() / 1_000).describe());
            m.put("recent_entries", sample(j, jobName, config, relabel));
            List<String> unreadable = access.unreadable(dirs);
            m.put("status", unreadable.isEmpty() ? "ok" : "cannot read " + unreadable.size() + " journal file(s), see files");
        } catch (JournalException e) {
            m.put("status", "cannot read: " + e.getMessage());
        }
        return m;
    }

    /** The last few entries (after the job's matches) as the job would label them. */
    private List<Object> sample(SdJournal j, String jobName, JournalConfig config, Relabeler relabel)
            throws JournalException {
        j.seekTail();
        int back = 0;
        while (back < SAMPLE && j.previous()) {
            back++;
        }
        JournalEntryFactory factory = new JournalEntryFactory(JournalJob.positionKey(jobName), config.json(),
                config.labels(), relabel::apply, relabel.labelsRead());
        Deque<Object> out = new ArrayDeque<>();
        for (int i = 0; i < back; i++) {
            if (i > 0 && !j.next()) {
                break;
            }
            Map<String, Object> e = new LinkedHashMap<>();
            JournalEntryFactory.Result r = factory.read(j);
            if (r instanceof JournalEntryFactory.Made made) {
                e.put("labels", made.entry().labels().asMap());
                String line = made.entry().line();
                e.put("line", line.length() > 120 ? line.substring(0, 120) + "..." : line);
            } else {
                e.put("skipped", ((JournalEntryFactory.Skipped) r).reason());
            }
            out.add(e);
        }
        return new ArrayList<>(out);
    }
}
