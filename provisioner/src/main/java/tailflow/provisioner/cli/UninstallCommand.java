package tailflow.provisioner.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tailflow.provisioner.facts.FactsScript;
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

    @Option(names = "--purge", description = "also remove /var/lib/tailflow (positions) and the tailflow user")
    boolean purge;

    @Override
    public Integer call() {
        String script = """
                export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                changed=0
                if [ -e %1$s ] || [ -e %2$s ]; then
                  systemctl disable --now %3$s >/dev/null 2>&1
                  rm -rf %1$s %2$s.d; systemctl daemon-reload; systemctl reset-failed %3$s >/dev/null 2>&1; changed=1
                fi
                if [ -e %4$s ] || [ -e /etc/tailflow ]; then rm -rf %4$s /etc/tailflow; changed=1; fi
                if [ %5$s = yes ]; then
                  if [ -e /var/lib/tailflow ]; then rm -rf /var/lib/tailflow; changed=1; fi
                  if id tailflow >/dev/null 2>&1; then userdel tailflow; changed=1; fi
                fi
                echo "changed=$changed"
                """.formatted(FactsScript.UNIT, FactsScript.UNIT, FactsScript.UNIT_NAME, FactsScript.INSTALL_ROOT, purge ? "yes" : "no");
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
