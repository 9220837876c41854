package tailflow.provisioner.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One host with its variables merged in Ansible's precedence order and the groups it belongs
 * to (directly or through children), {@code all} first.
 */
public record InventoryHost(String name, List<String> groups, Map<String, Object> vars) {

    public InventoryHost {
        groups = List.copyOf(groups);
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    }

    public Optional<Object> var(String key) {
        return Optional.ofNullable(vars.get(key));
    }

    public Optional<String> string(String key) {
        return var(key).map(String::valueOf);
    }
}
