package tailflow.agent.config;

/**
 * One thing wrong with a config file, printed as {@code FILE:LINE:COLUMN: KEY: what was expected}.
 * Errors about a whole file (unreadable, empty) point at 1:1.
 */
public record ConfigError(String file, int line, int column, String key, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + key + ": " + message;
    }
}
