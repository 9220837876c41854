package tailflow.provisioner.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tailflow.provisioner.facts.FactsParser;
import tailflow.provisioner.remote.FactsScript;
import tailflow.provisioner.facts.HostFacts;
import tailflow.provisioner.report.HostResult;
import tailflow.provisioner.report.HostStatus;
import tailflow.provisioner.report.Recap;

@Command(name = "facts", mixinStandardHelpOptions = true,
        description = "Gather facts (one round trip per host): architecture, OS, java, libpcap, installed release, unit state.")
public final class FactsCommand implements Callable<Integer> {

    @Mixin
    InventoryOptions inventory;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    InstallOptions install;

    @Option(names = "--json", paramLabel = "FILE", description = "write the facts as JSON ('-' for stdout)")
    Path json;

    @Override
    public Integer call() throws Exception {
        List<HostResult> results = HostQuery.run(inventory.select(), connection, FactsScript.script(install.layout(), install.scripts().unitFile(), "-"), (h, r) -> {
            if (!r.ok()) {
                return new HostResult(h.name(), HostStatus.FAILED, "facts script exited " + r.exitCode() + ": " + r.stderr().strip(),
                        Map.of(), List.of(), List.of(), List.of(), 0);
            }
            HostFacts f = FactsParser.parse(r.stdout());
            return new HostResult(h.name(), HostStatus.OK, "", tailflow.provisioner.apply.FactsSummary.of(f), List.of(),
                    List.of(), List.of(), 0);
        });
        if (json != null) {
            Recap.writeJson(results, json, System.out);
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (HostResult r : results) {
                Map<String, String> f = r.facts();
                rows.add(List.of(r.host(), r.status().name().toLowerCase(java.util.Locale.ROOT), f.getOrDefault("hostname", ""),
                        f.getOrDefault("arch", ""), f.getOrDefault("os", ""), f.getOrDefault("java", ""),
                        f.getOrDefault("libpcap", ""), f.getOrDefault("release", ""), f.getOrDefault("unit", ""),
                        r.message()));
            }
            HostQuery.table(List.of("HOST", "STATUS", "HOSTNAME", "ARCH", "OS", "JAVA", "LIBPCAP", "RELEASE", "UNIT", ""), rows);
        }
        return Recap.exitCode(results);
    }
}
