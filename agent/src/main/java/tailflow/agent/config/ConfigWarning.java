package tailflow.agent.config;

/** Something the loader accepted but does not act on, e.g. a Promtail key not supported yet. */
public record ConfigWarning(String file, int line, int column, String key, String message) {
    @Override
    public String toString() {
        return message + ": " + key + " (" + file + ":" + line + ")";
    }
}
