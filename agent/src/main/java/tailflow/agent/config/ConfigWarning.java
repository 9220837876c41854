package tailflow.agent.config;

/**
 * Something the loader accepted but does not act on, e.g. a Promtail key not supported yet.
 * Printed as {@code not supported yet: KEY (FILE:LINE)} for unimplemented keys, else like an error.
 */
public record ConfigWarning(String file, int line, int column, String key, String message) {
    @Override
    public String toString() {
        if (message.equals(BindContext.NOT_SUPPORTED)) {
            return message + ": " + key + " (" + file + ":" + line + ")";
        }
        return file + ":" + line + ":" + column + ": " + key + ": " + message;
    }
}
