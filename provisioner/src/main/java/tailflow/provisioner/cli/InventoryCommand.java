package tailflow.provisioner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tailflow.provisioner.inventory.InventoryHost;
import tailflow.agent.config.Secrets;

@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = "Show the resolved inventory: hosts, groups and merged variables (secrets masked). Contacts nothing.")
public final class InventoryCommand implements Callable<Integer> {

    @Mixin
    InventoryOptions inventory;

    @Option(names = "--list", description = "print every selected host with its groups and variables as JSON")
    boolean list;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        for (InventoryHost h : inventory.select()) {
            if (list) {
                Map<String, Object> host = new LinkedHashMap<>();
                host.put("groups", h.groups());
                host.put("vars", Secrets.mask(h.vars()));
                out.put(h.name(), host);
            } else {
                System.out.println(h.name());
            }
        }
        if (list) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(Map.of("hosts", out)));
        }
        return 0;
    }
}
