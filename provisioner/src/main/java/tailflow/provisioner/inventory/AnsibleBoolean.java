package tailflow.provisioner.inventory;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Ansible's reading of a boolean variable ({@code module_utils.parsing.convert_bool}): the words
 * it accepts either way, case-insensitive; anything else is no boolean at all (never silently false).
 */
public final class AnsibleBoolean {

    private static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t", "1.0");
    private static final Set<String> FALSE = Set.of("n", "no", "off", "0", "false", "f", "0.0");

    private AnsibleBoolean() {}

    public static Optional<Boolean> parse(Object value) {
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        String s = String.valueOf(value).strip().toLowerCase(Locale.ROOT);
        return TRUE.contains(s) ? Optional.of(true) : FALSE.contains(s) ? Optional.of(false) : Optional.empty();
    }
}
