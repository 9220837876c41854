package tailflow.provisioner.cli;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import tailflow.provisioner.apply.Rollout;
import tailflow.provisioner.inventory.InventoryHost;
import tailflow.provisioner.report.HostResult;
import tailflow.provisioner.report.HostStatus;
import tailflow.provisioner.report.Progress;
import tailflow.provisioner.report.Terminal;
import tailflow.provisioner.ssh.ExecResult;
import tailflow.provisioner.ssh.RemoteShell;
import tailflow.provisioner.ssh.TargetResolver;
import tailflow.provisioner.ssh.UnreachableException;

/** Runs one root script per host in parallel and turns each answer into a {@link HostResult} (facts, status, uninstall). */
final class HostQuery {

    private HostQuery() {}

    static List<HostResult> run(List<InventoryHost> hosts, ConnectionOptions connection, String script,
                                BiFunction<InventoryHost, ExecResult, HostResult> interpret) {
        TargetResolver resolver = connection.targets();
        RemoteShell.Opener opener = connection.opener();
        // the live view (hosts done / running / failed) on a terminal, removed before the table; -v prints its log instead
        try (Progress progress = connection.verbose.length > 0 ? new Progress(System.out, true)
                : Progress.live(System.out, Terminal.ofStdout(), Clock.systemUTC())) {
            progress.start();
            return Rollout.run(hosts, InventoryHost::name, connection.forks(), hosts.size(), h -> query(h, resolver, opener,
                    script, interpret, progress), progress);
        }
    }

    private static HostResult query(InventoryHost h, TargetResolver resolver, RemoteShell.Opener opener, String script,
                                    BiFunction<InventoryHost, ExecResult, HostResult> interpret, Progress progress) {
        try (RemoteShell c = opener.open(resolver.resolve(h))) {
            progress.phase(h.name(), "script");
            return interpret.apply(h, c.runAsRoot(script, InputStream.nullInputStream(), Duration.ofMinutes(2), l -> { }));
        } catch (UnreachableException e) {
            return new HostResult(h.name(), HostStatus.UNREACHABLE, e.getMessage(), Map.of(), List.of(), List.of(), List.of(), 0);
        } catch (IOException | RuntimeException e) {
            return new HostResult(h.name(), HostStatus.FAILED, String.valueOf(e.getMessage()), Map.of(), List.of(), List.of(),
                    List.of(), 0);
        }
    }

    /** Prints rows as an aligned table. */
    static void table(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.max(1, header.get(i).length());
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder fmt = new StringBuilder();
        for (int width : w) {
            fmt.append("%-").append(width).append("s  ");
        }
        String f = fmt.toString().stripTrailing() + "%n";
        System.out.printf(f, header.toArray());
        rows.forEach(r -> System.out.printf(f, r.toArray()));
    }
}
