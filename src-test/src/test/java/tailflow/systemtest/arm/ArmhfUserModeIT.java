package tailflow.systemtest.arm;

/** armv7 (armhf) under qemu-arm: the fleet's 32-bit ARM hosts. */
class ArmhfUserModeIT extends UserModeAgentChecks {
    @Override
    ArmArch arch() {
        return ArmArch.ARMHF;
    }
}
