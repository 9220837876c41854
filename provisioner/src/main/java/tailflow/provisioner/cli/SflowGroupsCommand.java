package tailflow.provisioner.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tailflow.provisioner.facts.KeyValueLines;
import tailflow.provisioner.inventory.Inventory;
import tailflow.provisioner.inventory.InventoryHost;
import tailflow.provisioner.report.HostResult;
import tailflow.provisioner.report.HostStatus;
import tailflow.provisioner.report.Recap;
import tailflow.provisioner.sflow.SflowGroups;

@Command(name = "sflow-groups", mixinStandardHelpOptions = true,
        description = {"Print the sFlow-RT/Vizceral groups.json for the inventory: one group per inventory group (or per --group),",
                "each host's sFlow agent address as a /32 (from the host, or ansible_host with --no-facts), plus INTERNET 0.0.0.0/0."})
public final class SflowGroupsCommand implements Callable<Integer> {

    @Mixin
    InventoryOptions inventory;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    InstallOptions install;

    @Option(names = "--group", paramLabel = "GROUP", description = "only these inventory groups (repeatable)")
    List<String> only = List.of();

    @Option(names = "--no-facts", description = "take each host's address from ansible_host (or its name) instead of asking the host")
    boolean noFacts;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the file atomically instead of printing it")
    Path output;

    @Override
    public Integer call() throws Exception {
        Inventory inv = inventory.load();
        List<InventoryHost> selected = inventory.select();
        List<String> groups = new ArrayList<>();
        for (String g : inv.groups().keySet()) {
            if (!g.equals("all") && !g.equals("ungrouped") && (only.isEmpty() || only.contains(g))) {
                groups.add(g);
            }
        }
        for (String g : only) {
            if (!inv.groups().containsKey(g)) {
                throw new IllegalArgumentException("--group " + g + ": no such group in the inventory");
            }
        }
        Map<String, InetAddress> addresses = new LinkedHashMap<>();
        List<HostResult> results;
        if (noFacts) {
            for (InventoryHost h : selected) {
                addresses.put(h.name(), resolve(h.string("ansible_host").orElse(h.name())));
            }
            results = List.of();
        } else {
            results = HostQuery.run(selected, connection, install.adminScripts().addresses(), (h, r) -> {
                var chosen = SflowGroups.agentAddress(KeyValueLines.parse(r.stdout()));
                if (!r.ok() || chosen.isEmpty()) {
                    return new HostResult(h.name(), HostStatus.FAILED, "no address found (exit " + r.exitCode() + " "
                            + r.stderr().strip() + ")", Map.of(), List.of(), List.of(), List.of(), 0);
                }
                synchronized (addresses) {
                    addresses.put(h.name(), chosen.get());
                }
                return new HostResult(h.name(), HostStatus.OK, chosen.get().getHostAddress(), Map.of(), List.of(), List.of(),
                        List.of(), 0);
            });
            results.stream().filter(r -> r.status() != HostStatus.OK)
                    .forEach(r -> System.err.println("[" + r.host() + "] " + r.status().name().toLowerCase() + ": " + r.message()));
        }
        SflowGroups out = new SflowGroups();
        for (String g : groups) {
            List<InetAddress> members = new ArrayList<>();
            for (InventoryHost h : selected) {
                if (inv.groupMembers().getOrDefault(g, java.util.Set.of()).contains(h.name()) && addresses.containsKey(h.name())) {
                    members.add(addresses.get(h.name()));
                }
            }
            if (!members.isEmpty() || only.contains(g)) {
                out.add(g, members);
            }
        }
        if (output != null) {
            out.writeAtomically(output);
        } else {
            System.out.print(out.json());
        }
        return Recap.exitCode(results);
    }

    private static InetAddress resolve(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--no-facts: cannot resolve " + address + " (set ansible_host to an address)");
        }
    }
}
