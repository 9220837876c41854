package tailflow.agent.logs;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * What the file source says about files it cannot or will not read, once each: a matched path
 * that cannot be read (retried every scan, warned once until it works) and binary files (never
 * read again while the agent runs).
 */
final class FileProblems {

    /** Logged as the file source's messages, as they were before this class was split out of it. */
    private static final Logger LOG = Logger.getLogger(FileSource.class.getName());

    private final FileMetrics metrics;
    private final Set<String> reported = new HashSet<>();
    private final Set<FileIdentity> binary = new HashSet<>();

    FileProblems(FileMetrics metrics) {
        this.metrics = metrics;
    }

    /** Warns once per {@code key} until {@link #resolved}. */
    void reportOnce(String key, String message) {
        if (reported.add(key)) {
            LOG.warning(message);
        }
    }

    void resolved(String key) {
        reported.remove(key);
    }

    /** Not a log: one warning and one count per file. */
    void binary(Path path, FileIdentity id, String reason) {
        if (binary.add(id)) {
            metrics.skippedFiles.inc(1, BinaryContent.REASON);
            LOG.warning("skipping " + path + ": " + reason + "; it is not a text log");
        }
    }

    boolean isBinary(FileIdentity id) {
        return binary.contains(id);
    }
}
