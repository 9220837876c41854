package tailflow.agent.config;

import java.util.ArrayList;
import java.util.List;

/** Collects the errors and warnings found while binding one file's tree to records. */
final class BindContext {
    static final String NOT_SUPPORTED = "not supported yet";

    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<ConfigWarning> warnings = new ArrayList<>();

    BindContext(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void error(Node.Location at, String key, String message) {
        errors.add(new ConfigError(file, at.line(), at.column(), key, message));
    }

    void warn(Node.Location at, String key, String message) {
        warnings.add(new ConfigWarning(file, at.line(), at.column(), key, message));
    }

    List<ConfigWarning> warnings() {
        return List.copyOf(warnings);
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    void throwIfErrors() throws ConfigException {
        if (!errors.isEmpty()) {
            List<ConfigError> sorted = new ArrayList<>(errors);
            sorted.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line())
                    : Integer.compare(a.column(), b.column()));
            throw new ConfigException(sorted);
        }
    }
}
