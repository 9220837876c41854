package tailflow.provisioner.plan;

/** A host's variables cannot be turned into settings: names the host, the variable and what to write instead. */
public final class SettingsException extends RuntimeException {
    public SettingsException(String host, String variable, String problem) {
        super("host " + host + ": " + variable + ": " + problem);
    }
}
