package tailflow.provisioner.plan;

/** Plan steps, in the order they are applied. */
public enum StepKind {
    INSTALL_JAVA("install-java"),
    USER("user"),
    RELEASE("release"),
    CONFIG("config"),
    UNIT("unit"),
    DROP_IN("drop-in"),
    SWITCH("switch"),
    DAEMON_RELOAD("daemon-reload"),
    ENABLE("enable"),
    RESTART("restart");

    private final String label;

    StepKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static StepKind ofLabel(String label) {
        for (StepKind k : values()) {
            if (k.label.equals(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no step " + label);
    }
}
