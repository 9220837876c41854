package tailflow.provisioner.inventory;

/**
 * A host variable whose value cannot be used: names where the value was written
 * ({@code file:line:column}, or {@code extra vars (-e)}), the host, the variable, and what to write instead.
 */
public final class InvalidVariableException extends IllegalArgumentException {

    InvalidVariableException(InventoryHost host, String variable, String problem) {
        super(host.origin(variable).map(o -> o + ": ").orElse("") + "host " + host.name() + ": " + variable + ": " + problem);
    }
}
