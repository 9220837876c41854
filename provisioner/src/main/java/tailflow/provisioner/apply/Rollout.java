package tailflow.provisioner.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import tailflow.provisioner.report.HostResult;
import tailflow.provisioner.report.HostStatus;
import tailflow.provisioner.report.Progress;

/**
 * Runs a job over hosts, {@code forks} at a time, in batches of {@code serial} hosts (all at once
 * when no serial is given). A batch with a failed or unreachable host stops the rollout: the
 * remaining hosts are reported as skipped, as Ansible's serial does.
 */
public final class Rollout {

    private Rollout() {}

    /** "5" -> 5 hosts per batch, "25%" -> a quarter of the hosts (at least one); null/blank -> all. */
    public static int batchSize(String serial, int hosts) {
        if (serial == null || serial.isBlank()) {
            return Math.max(1, hosts);
        }
        String s = serial.strip();
        try {
            if (s.endsWith("%")) {
                double pct = Double.parseDouble(s.substring(0, s.length() - 1));
                if (pct <= 0 || pct > 100) {
                    throw new IllegalArgumentException("--serial " + serial + ": a percentage must be in (0, 100]");
                }
                return Math.max(1, (int) Math.floor(hosts * pct / 100.0));
            }
            int n = Integer.parseInt(s);
            if (n < 1) {
                throw new IllegalArgumentException("--serial " + serial + ": must be >= 1");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--serial " + serial + ": expected a number or a percentage like 25%");
        }
    }

    public static <T> List<HostResult> run(List<T> hosts, Function<T, String> name, int forks, int batchSize,
                                           Function<T, HostResult> job) {
        return run(hosts, name, forks, batchSize, job, new Progress(System.out, true));
    }

    /** As above, telling {@code progress} when each host starts and finishes (for the live view). */
    public static <T> List<HostResult> run(List<T> hosts, Function<T, String> name, int forks, int batchSize,
                                           Function<T, HostResult> job, Progress progress) {
        progress.hosts(hosts.stream().map(name).toList());
        List<HostResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(forks, Math.max(1, hosts.size()))));
        try {
            boolean stopped = false;
            for (int from = 0; from < hosts.size(); from += batchSize) {
                List<T> batch = hosts.subList(from, Math.min(hosts.size(), from + batchSize));
                if (stopped) {
                    for (T h : batch) {
                        HostResult skipped = new HostResult(name.apply(h), HostStatus.SKIPPED,
                                "not run: an earlier batch failed", java.util.Map.of(), List.of(), List.of(), List.of(), 0);
                        progress.finished(skipped);
                        results.add(skipped);
                    }
                    continue;
                }
                List<Future<HostResult>> futures = new ArrayList<>();
                batch.forEach(h -> futures.add(pool.submit(() -> {
                    progress.started(name.apply(h));
                    HostResult r = job.apply(h);
                    progress.finished(r);
                    return r;
                })));
                for (Future<HostResult> f : futures) {
                    HostResult r = get(f);
                    results.add(r);
                    if (batchSize < hosts.size() && (r.status() == HostStatus.FAILED || r.status() == HostStatus.UNREACHABLE)) {
                        stopped = true;
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return results;
    }

    private static HostResult get(Future<HostResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a host job crashed: " + e.getCause(), e.getCause());
        }
    }
}
