package tailflow.systemtest.journal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A cached journal of N realistic entries for the journal benchmark: the ~20 fields journald
 * gives a syslog or stdout line of a service (trusted _PID, _UID, _COMM, _EXE, _CMDLINE,
 * _SYSTEMD_* fields, boot and machine id, source timestamp), written through
 * systemd-journal-remote from export format. Timestamps start at a fixed point in the past,
 * 100 µs apart, so the bench config's max_age must reach back to it.
 */
final class BenchJournal {
    static final long T0_MICROS = 1_735_689_600_000_000L; // 2025-01-01T00:00:00Z
    private static final String BOOT = "5b3e7b1c0e4d4a4c9f1a2b3c4d5e6f70";
    private static final String MACHINE = "8f1d2c3b4a5968778695a4b3c2d1e0f9";

    private BenchJournal() {}

    /** The directory holding the journal of {@code entries} entries (built once per machine). */
    static Path ensure(long entries) throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("tailflow.cache", "/var/cache/tailflow-test"), "journal-bench-" + entries);
        Path done = dir.resolve(".complete");
        if (Files.exists(done)) {
            return dir;
        }
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("/lib/systemd/systemd-journal-remote", "-o", dir.resolve("system.journal").toString(), "-")
                .redirectErrorStream(true).redirectOutput(dir.resolve("journal-remote.log").toFile()).start();
        try (OutputStream out = new BufferedOutputStream(p.getOutputStream(), 1 << 20)) {
            write(out, entries);
        }
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("systemd-journal-remote failed: " + Files.readString(dir.resolve("journal-remote.log")));
        }
        Files.createFile(done);
        return dir;
    }

    private static void write(OutputStream out, long entries) throws IOException {
        String[][] units = {
            {"ssh.service", "sshd", "/usr/sbin/sshd", "sshd: deploy [priv]"},
            {"cron.service", "CRON", "/usr/sbin/cron", "/usr/sbin/CRON -f"},
            {"nginx.service", "nginx", "/usr/sbin/nginx", "nginx: worker process"},
            {"systemd-logind.service", "systemd-logind", "/lib/systemd/systemd-logind", "/lib/systemd/systemd-logind"},
            {"postgresql@15-main.service", "postgres", "/usr/lib/postgresql/15/bin/postgres", "postgres: 15/main: walwriter"}};
        String[] messages = {
            "Accepted publickey for deploy from 10.0.%d.%d port %d ssh2: ED25519 SHA256:q0vXb1x4fXo2",
            "(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1) run %d %d %d",
            "10.1.%d.%d - - \"GET /api/v1/items/%d HTTP/1.1\" 200 512 \"-\" \"curl/7.88.1\"",
            "New session %d of user deploy (uid %d, seat %d).",
            "checkpoint complete: wrote %d buffers (0.1%%); 0 WAL file(s) added, %d removed, %d recycled"};
        Random r = new Random(42);
        StringBuilder sb = new StringBuilder(1024);
        for (long i = 0; i < entries; i++) {
            int u = r.nextInt(units.length);
            long t = T0_MICROS + i * 100;
            int pid = 1000 + u * 37 + (int) (i % 5);
            sb.setLength(0);
            sb.append("__REALTIME_TIMESTAMP=").append(t).append('\n')
                    .append("__MONOTONIC_TIMESTAMP=").append(t - T0_MICROS + 5_000_000).append('\n')
                    .append("_BOOT_ID=").append(BOOT).append('\n')
                    .append("_MACHINE_ID=").append(MACHINE).append('\n')
                    .append("_HOSTNAME=bench-host\n")
                    .append("_TRANSPORT=syslog\n")
                    .append("PRIORITY=").append(r.nextInt(10) == 0 ? 4 : 6).append('\n')
                    .append("SYSLOG_FACILITY=").append(u == 0 ? 4 : 3).append('\n')
                    .append("SYSLOG_IDENTIFIER=").append(units[u][1]).append('\n')
                    .append("SYSLOG_PID=").append(pid).append('\n')
                    .append("_PID=").append(pid).append('\n')
                    .append("_UID=0\n_GID=0\n")
                    .append("_COMM=").append(units[u][1]).append('\n')
                    .append("_EXE=").append(units[u][2]).append('\n')
                    .append("_CMDLINE=").append(units[u][3]).append('\n')
                    .append("_CAP_EFFECTIVE=1ffffffffff\n")
                    .append("_SYSTEMD_CGROUP=/system.slice/").append(units[u][0]).append('\n')
                    .append("_SYSTEMD_UNIT=").append(units[u][0]).append('\n')
                    .append("_SYSTEMD_SLICE=system.slice\n")
                    .append("_SYSTEMD_INVOCATION_ID=").append(BOOT, 0, 24).append(String.format("%08x", u)).append('\n')
                    .append("_SOURCE_REALTIME_TIMESTAMP=").append(t - 3).append('\n')
                    .append("MESSAGE=").append(String.format(messages[u], r.nextInt(256), r.nextInt(256), r.nextInt(65536)))
                    .append("\n\n");
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
