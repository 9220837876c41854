package tailflow.systemtest.arm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Wall time of each stage of a long run, printed as it goes and written as a summary file. */
final class StageTimer {
    /** A step of a stage; may throw anything a test may. */
    interface Step<T> {
        T run() throws Exception;
    }

    private record Stage(String name, double seconds, boolean passed) {}

    private final List<Stage> stages = new ArrayList<>();
    private final Path summary;
    private final long start = System.nanoTime();

    StageTimer(Path summary) {
        this.summary = summary;
    }

    <T> T stage(String name, Step<T> step) throws Exception {
        long t0 = System.nanoTime();
        boolean passed = false;
        try {
            T result = step.run();
            passed = true;
            return result;
        } finally {
            Stage s = new Stage(name, (System.nanoTime() - t0) / 1e9, passed);
            stages.add(s);
            System.out.printf("arm-vm stage %-28s %7.1f s  %s%n", name, s.seconds(), passed ? "ok" : "FAILED");
            write();
        }
    }

    private void write() throws IOException {
        StringBuilder sb = new StringBuilder("# armv7 VM run: wall time per stage\n");
        for (Stage s : stages) {
            sb.append(String.format("%-28s %7.1f s  %s%n", s.name(), s.seconds(), s.passed() ? "ok" : "FAILED"));
        }
        sb.append(String.format("%-28s %7.1f s%n", "total", (System.nanoTime() - start) / 1e9));
        Files.createDirectories(summary.getParent());
        Files.writeString(summary, sb.toString());
    }
}
