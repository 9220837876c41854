package tailflow.provisioner.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One host with its variables merged in Ansible's precedence order and the groups it belongs
 * to (directly or through children), {@code all} first; {@code origins} says where each variable's
 * value was written.
 */
public record InventoryHost(String name, List<String> groups, Map<String, Object> vars, Map<String, String> origins) {

    public InventoryHost {
        groups = List.copyOf(groups);
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        origins = Map.copyOf(origins);
    }

    /** A host whose variables' origins are not known (built in code, not read from files). */
    public InventoryHost(String name, List<String> groups, Map<String, Object> vars) {
        this(name, groups, vars, Map.of());
    }

    /** Where the value of {@code key} that won was written: {@code file:line:column}, or {@code extra vars (-e)}. */
    public Optional<String> origin(String key) {
        return Optional.ofNullable(origins.get(key));
    }

    public Optional<Object> var(String key) {
        return Optional.ofNullable(vars.get(key));
    }

    public Optional<String> string(String key) {
        return var(key).map(String::valueOf);
    }

    /** A boolean variable read as Ansible reads it; {@code orElse} when unset; a value that is no boolean is an error. */
    public boolean flag(String key, boolean orElse) {
        Optional<Object> v = var(key);
        if (v.isEmpty()) {
            return orElse;
        }
        return AnsibleBoolean.parse(v.get()).orElseThrow(() -> invalid(key,
                "expected a boolean (true/false, yes/no, on/off, 1/0), found '" + v.get() + "'"));
    }

    /** The error for a value of {@code key} that cannot be used, located where it was written. */
    public InvalidVariableException invalid(String key, String problem) {
        return new InvalidVariableException(this, key, problem);
    }
}
