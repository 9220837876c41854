package tailflow.provisioner.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tailflow.provisioner.report.HostResult;
import tailflow.provisioner.report.HostStatus;
import tailflow.provisioner.report.Recap;

class RolloutTest {

    private static HostResult result(String host, HostStatus s) {
        return new HostResult(host, s, "", Map.of(), List.of(), List.of(), List.of(), 0);
    }

    @Test
    void serialBatchSizes() {
        assertThat(Rollout.batchSize(null, 7)).isEqualTo(7);
        assertThat(Rollout.batchSize("2", 7)).isEqualTo(2);
        assertThat(Rollout.batchSize("30%", 10)).isEqualTo(3);
        assertThat(Rollout.batchSize("5%", 10)).isEqualTo(1);
        assertThatThrownBy(() -> Rollout.batchSize("0", 3)).hasMessageContaining("must be >= 1");
        assertThatThrownBy(() -> Rollout.batchSize("half", 3)).hasMessageContaining("number or a percentage");
    }

    @Test
    void aFailedBatchStopsTheRolloutAndTheRestIsSkipped() {
        List<String> hosts = List.of("a", "b", "c", "d", "e");
        List<HostResult> r = Rollout.run(hosts, h -> h, 2, 2, h -> result(h, h.equals("c") ? HostStatus.FAILED : HostStatus.CHANGED));
        assertThat(r).extracting(HostResult::status).containsExactly(HostStatus.CHANGED, HostStatus.CHANGED,
                HostStatus.FAILED, HostStatus.CHANGED, HostStatus.SKIPPED);
        assertThat(Recap.exitCode(r)).isEqualTo(2);
    }

    @Test
    void withoutSerialEveryHostRunsAndExitCodesFollowAnsible() {
        List<HostResult> r = Rollout.run(List.of("a", "b"), h -> h, 10, 2,
                h -> result(h, h.equals("a") ? HostStatus.UNREACHABLE : HostStatus.OK));
        assertThat(r).extracting(HostResult::status).containsExactly(HostStatus.UNREACHABLE, HostStatus.OK);
        assertThat(Recap.exitCode(r)).isEqualTo(4);
        assertThat(Recap.exitCode(List.of(result("a", HostStatus.OK), result("b", HostStatus.CHANGED)))).isZero();
    }
}
