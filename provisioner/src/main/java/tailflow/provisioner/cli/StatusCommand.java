package tailflow.provisioner.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tailflow.provisioner.facts.KeyValueLines;
import tailflow.provisioner.report.HostResult;
import tailflow.provisioner.report.HostStatus;
import tailflow.provisioner.report.Recap;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Per host: unit state, agent release, /ready, lines shipped (from /metrics), as a table.")
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    InventoryOptions inventory;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    InstallOptions install;

    @Override
    public Integer call() throws Exception {
        List<HostResult> results = HostQuery.run(inventory.select(), connection, install.adminScripts().status(), (h, r) -> {
            Map<String, String> kv = KeyValueLines.parse(r.stdout());
            boolean healthy = "active".equals(kv.get("unit_ActiveState")) && "200".equals(kv.get("ready"));
            return new HostResult(h.name(), healthy ? HostStatus.OK : HostStatus.FAILED, "", kv, List.of(), List.of(), List.of(), 0);
        });
        List<List<String>> rows = new ArrayList<>();
        for (HostResult r : results) {
            Map<String, String> f = r.facts();
            rows.add(List.of(r.host(), f.getOrDefault("unit_ActiveState", "-") + "/" + f.getOrDefault("unit_SubState", "-"),
                    f.getOrDefault("release", "-"), f.getOrDefault("ready", "-"), f.getOrDefault("shipped", "-"),
                    f.getOrDefault("unit_ActiveEnterTimestamp", ""), r.message()));
        }
        HostQuery.table(List.of("HOST", "UNIT", "RELEASE", "READY", "LINES SHIPPED", "SINCE", ""), rows);
        return Recap.exitCode(results);
    }
}
