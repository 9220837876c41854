package tailflow.provisioner.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tailflow.provisioner.inventory.AnsibleInventoryView;
import tailflow.provisioner.inventory.Inventory;
import tailflow.provisioner.inventory.InventoryHost;
import tailflow.agent.config.Secrets;

@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = {"Show the resolved inventory as ansible-inventory does (--list, --graph, --host); contacts nothing.",
                "Without an action: the selected host names, one per line."})
public final class InventoryCommand implements Callable<Integer> {

    @Mixin
    InventoryOptions inventory;

    static final class Action {
        @Option(names = "--list", description = "groups and _meta.hostvars as JSON, in ansible-inventory's shape")
        boolean list;

        @Option(names = "--graph", description = "the group tree from GROUP (default all)")
        boolean graph;

        @Option(names = "--host", paramLabel = "NAME", description = "one host's variables as JSON")
        String host;
    }

    @ArgGroup(exclusive = true)
    Action action = new Action();

    @Option(names = "--mask-secrets", description = "replace values of secret-looking keys (passwords, tokens) with <secret>, as the agent masks them")
    boolean maskSecrets;

    @Parameters(arity = "0..1", paramLabel = "GROUP", description = "for --graph: the group to start from")
    String group;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() {
        Inventory inv = inventory.load();
        if (maskSecrets) {
            inv = new Inventory(inv.source(), inv.hosts().stream().map(h -> new InventoryHost(h.name(), h.groups(),
                    (Map<String, Object>) Secrets.mask(h.vars()), h.origins())).toList(), inv.groupMembers(), inv.groups());
        }
        AnsibleInventoryView view = new AnsibleInventoryView(inv);
        if (action.list) {
            System.out.println(view.list());
        } else if (action.graph) {
            System.out.println(view.graph(group == null ? "all" : group));
        } else if (action.host != null) {
            System.out.println(view.host(action.host));
        } else {
            inventory.select().forEach(h -> System.out.println(h.name()));
        }
        return 0;
    }
}
