package tailflow.provisioner.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The end of a run: Ansible-style recap lines, the exit code, and the machine-readable results. */
public final class Recap {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 2;
    public static final int EXIT_UNREACHABLE = 4;

    private Recap() {}

    public static void print(List<HostResult> results, PrintStream out) {
        int width = results.stream().mapToInt(r -> r.host().length()).max().orElse(4);
        out.println();
        out.println("RECAP " + "*".repeat(60));
        for (HostResult r : results) {
            long ok = r.status() == HostStatus.OK || r.status() == HostStatus.CHANGED ? 1 : 0;
            out.printf("%-" + width + "s : ok=%d changed=%d unreachable=%d failed=%d skipped=%d   %s%s%n", r.host(),
                    ok, Math.max(r.changedCount(), r.status() == HostStatus.CHANGED ? 1 : 0), r.status() == HostStatus.UNREACHABLE ? 1 : 0,
                    r.status() == HostStatus.FAILED ? 1 : 0, r.status() == HostStatus.SKIPPED ? 1 : 0,
                    r.status().name().toLowerCase(java.util.Locale.ROOT), r.message().isEmpty() ? "" : ": " + r.message());
        }
    }

    /** One line per host: milliseconds per phase that ran ({@code --timings}). */
    public static void printTimings(List<HostResult> results, PrintStream out) {
        int width = results.stream().mapToInt(r -> r.host().length()).max().orElse(4);
        out.println();
        out.println("TIMINGS (ms) " + "*".repeat(53));
        for (HostResult r : results) {
            StringBuilder line = new StringBuilder(String.format("%-" + width + "s :", r.host()));
            r.timings().forEach((phase, ms) -> line.append(' ').append(phase).append('=').append(ms));
            line.append(" total=").append(r.millis());
            out.println(line);
        }
    }

    /** 0 when every host is ok or changed, 2 when any failed (or was skipped after a failed batch), else 4 if any was unreachable. */
    public static int exitCode(List<HostResult> results) {
        boolean failed = results.stream().anyMatch(r -> r.status() == HostStatus.FAILED || r.status() == HostStatus.SKIPPED);
        boolean unreachable = results.stream().anyMatch(r -> r.status() == HostStatus.UNREACHABLE);
        return failed ? EXIT_FAILED : unreachable ? EXIT_UNREACHABLE : EXIT_OK;
    }

    public static void writeJson(List<HostResult> results, Path file, PrintStream stdout) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("exit_code", exitCode(results));
        doc.put("hosts", results);
        if (file.toString().equals("-")) {
            stdout.println(json.writeValueAsString(doc));
        } else {
            json.writeValue(file.toFile(), doc);
        }
    }
}
