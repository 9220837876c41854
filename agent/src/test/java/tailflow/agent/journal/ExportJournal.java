package tailflow.agent.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Deterministic journal files for tests: entries in journald's export format, converted to a
 * .journal file by systemd-journal-remote (package systemd-journal-remote), which keeps the
 * given realtime/monotonic timestamps and boot id.
 */
public final class ExportJournal {
    public static final Path JOURNAL_REMOTE = Path.of("/lib/systemd/systemd-journal-remote");
    public static final String BOOT_ID = "0123456789abcdef0123456789abcdef";
    /** When the fixtures' boot happened (µs); entries must be later. */
    public static final long BOOT_REALTIME = 1_600_000_000_000_000L;

    private final List<Map<String, String>> entries = new ArrayList<>();

    /** An entry at {@code realtimeMicros} with these fields (MESSAGE, PRIORITY, _SYSTEMD_UNIT...). */
    public ExportJournal add(long realtimeMicros, Map<String, String> fields) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("__REALTIME_TIMESTAMP", Long.toString(realtimeMicros));
        // one boot: monotonic time follows the realtime (libsystemd orders entries of a boot by it,
        // so two files written separately interleave as journald's own would)
        e.put("__MONOTONIC_TIMESTAMP", Long.toString(realtimeMicros - BOOT_REALTIME));
        e.put("_BOOT_ID", BOOT_ID);
        e.putAll(fields);
        entries.add(e);
        return this;
    }

    /** {@code count} entries a millisecond apart from {@code firstMicros}: MESSAGE "{prefix} i", units alternating. */
    public ExportJournal addMany(long firstMicros, int count, String prefix) {
        for (int i = 0; i < count; i++) {
            add(firstMicros + i * 1_000L, Map.of("MESSAGE", prefix + " " + i, "PRIORITY", Integer.toString(i % 8),
                    "_SYSTEMD_UNIT", "unit" + (i % 2) + ".service", "SYSLOG_IDENTIFIER", "test", "_HOSTNAME", "h1"));
        }
        return this;
    }

    public byte[] exportBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map<String, String> e : entries) {
            for (Map.Entry<String, String> f : e.entrySet()) {
                byte[] value = f.getValue().getBytes(StandardCharsets.UTF_8);
                out.writeBytes(f.getKey().getBytes(StandardCharsets.US_ASCII));
                if (f.getValue().indexOf('\n') >= 0) {
                    out.write('\n');
                    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value.length).array());
                } else {
                    out.write('=');
                }
                out.writeBytes(value);
                out.write('\n');
            }
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Writes {@code file} (must end in .journal; must not exist). */
    public Path writeTo(Path file) throws IOException, InterruptedException {
        if (!Files.isExecutable(JOURNAL_REMOTE)) {
            throw new IllegalStateException(JOURNAL_REMOTE + " is missing: apt-get install systemd-journal-remote");
        }
        Path export = Files.createTempFile(file.getParent(), "entries", ".export");
        Files.write(export, exportBytes());
        Process p = new ProcessBuilder(JOURNAL_REMOTE.toString(), "-o", file.toString(), export.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("systemd-journal-remote failed for " + file);
            }
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(export);
        }
        return file;
    }
}
