package tailflow.systemtest.support;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The preconditions of a system test, checked before it starts anything: a missing tool fails the
 * test with one message saying what to install or run, instead of a stack trace from deep inside
 * a harness. Test harnesses call it at their entry points (TestHosts.boot, ArmSysroot.open, ...).
 */
public final class Machine {

    private Machine() {}

    /** Fails with {@link MachineNotReady} naming everything of {@code needs} that is missing. */
    public static void require(Need... needs) {
        List<Need> missing = Arrays.stream(needs).filter(need -> !need.present()).toList();
        if (!missing.isEmpty()) {
            throw new MachineNotReady(missing);
        }
    }

    /** A test machine that lacks something: the message is the whole story, so no stack trace. */
    public static final class MachineNotReady extends AssertionError {
        MachineNotReady(List<Need> missing) {
            super("this test machine lacks: " + missing.stream().map(Need::missingLine).collect(Collectors.joining("; "))
                    + ". Run src-test/setup-test-machine.sh as root (installs every package the tests need), then"
                    + " run the tests as root.");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
