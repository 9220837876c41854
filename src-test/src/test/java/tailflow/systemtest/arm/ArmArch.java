package tailflow.systemtest.arm;

/**
 * An ARM target run under QEMU user mode: its Debian architecture (sysroot), what {@code uname -m}
 * reports inside it, Java's {@code os.arch}, and the directory JNA loads its native dispatch
 * library from (the part of the ARM path that breaks first when a jar only carries x86_64 code).
 */
public enum ArmArch {
    ARMHF("armhf", "armv7l", "arm", "linux-arm", "arm-linux-gnueabihf"),
    ARM64("arm64", "aarch64", "aarch64", "linux-aarch64", "aarch64-linux-gnu");

    private final String debianArch;
    private final String unameMachine;
    private final String javaOsArch;
    private final String jnaResourcePrefix;
    private final String multiarchTriplet;

    ArmArch(String debianArch, String unameMachine, String javaOsArch, String jnaResourcePrefix, String multiarchTriplet) {
        this.debianArch = debianArch;
        this.unameMachine = unameMachine;
        this.javaOsArch = javaOsArch;
        this.jnaResourcePrefix = jnaResourcePrefix;
        this.multiarchTriplet = multiarchTriplet;
    }

    public String debianArch() {
        return debianArch;
    }

    public String unameMachine() {
        return unameMachine;
    }

    public String javaOsArch() {
        return javaOsArch;
    }

    /** JNA's resource prefix: the jar entry {@code com/sun/jna/<prefix>/libjnidispatch.so}. */
    public String jnaResourcePrefix() {
        return jnaResourcePrefix;
    }

    /** Debian's multiarch library directory name, e.g. {@code /usr/lib/arm-linux-gnueabihf}. */
    public String multiarchTriplet() {
        return multiarchTriplet;
    }
}
