package tailflow.systemtest.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import tailflow.systemtest.support.CommandResult;

/** armv7 (armhf) under qemu-arm: the fleet's 32-bit ARM hosts; pushes protobuf + snappy like every platform. */
class ArmhfUserModeIT extends UserModeAgentChecks {
    @Override
    ArmArch arch() {
        return ArmArch.ARMHF;
    }

    /**
     * The negative check (armv7 only, to keep CI short): the same dry run with a JNA jar that
     * lacks the linux-arm native must report JNA unavailable, so the positive check really
     * depends on the ARM native code loading, not on a constant or on the host's libraries.
     */
    @Test
    void dryRunReportsJnaUnavailableWhenTheArmNativeIsMissing() throws Exception {
        String broken = checkoutWithoutJnaNative();
        CommandResult dry = sysroot.run(Duration.ofMinutes(3), SHORT_RUN,
                broken + "/packaging/bin/agent", "--dry-run", "--config", "configs/agent.yaml");
        assertThat(dry.output()).as(dry.output())
                .containsPattern("jna: \"?unavailable: .*linux-arm/libjnidispatch.so")
                .doesNotContainPattern("jna: \"?ok");
    }
}
