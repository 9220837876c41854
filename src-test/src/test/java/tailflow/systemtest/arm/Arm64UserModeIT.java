package tailflow.systemtest.arm;

/** aarch64 (arm64) under qemu-aarch64: the fleet's 64-bit ARM hosts. */
class Arm64UserModeIT extends UserModeAgentChecks {
    @Override
    ArmArch arch() {
        return ArmArch.ARM64;
    }
}
