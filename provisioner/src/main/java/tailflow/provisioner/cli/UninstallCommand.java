package tailflow.provisioner.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tailflow.provisioner.report.HostResult;
import tailflow.provisioner.report.HostStatus;
import tailflow.provisioner.report.Recap;

@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = "Stop and disable the agent, remove its unit, releases and config. --purge also removes positions and the tailflow user.")
public final class UninstallCommand implements Callable<Integer> {

    @Mixin
    InventoryOptions inventory;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    InstallOptions install;

    @Option(names = "--purge", description = "also remove /var/lib/tailflow (positions) and the tailflow user")
    boolean purge;

    @Override
    public Integer call() {
        String script = install.adminScripts().uninstall(purge);
        List<HostResult> results = HostQuery.run(inventory.select(), connection, script, (h, r) -> {
            HostStatus s = !r.ok() ? HostStatus.FAILED : r.stdout().contains("changed=1") ? HostStatus.CHANGED : HostStatus.OK;
            String msg = !r.ok() ? r.stderr().strip() : s == HostStatus.CHANGED ? "removed" : "nothing installed";
            System.out.println("[" + h.name() + "] uninstall: " + s.name().toLowerCase(java.util.Locale.ROOT) + " (" + msg + ")");
            return new HostResult(h.name(), s, msg, Map.of(), List.of(), List.of(), List.of(), 0);
        });
        Recap.print(results, System.out);
        return Recap.exitCode(results);
    }
}
