package tailflow.provisioner.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tailflow.provisioner.plan.StepKind;
import tailflow.provisioner.ssh.ExecResult;

class MarkerTest {

    @Test
    void markerLinesAreTypedAndOtherLinesAreNot() {
        assertThat(Marker.parse("@@step drop-in")).contains(new Marker.StepDone(StepKind.DROP_IN));
        assertThat(Marker.parse("@@fail release uploaded bundle is 12 bytes, want 13"))
                .contains(new Marker.StepFailed(StepKind.RELEASE, "uploaded bundle is 12 bytes, want 13"));
        assertThat(Marker.parse("@@uploaded 10553231")).contains(new Marker.Uploaded(10553231));
        assertThat(Marker.parse("@@journal  two  spaces kept")).contains(new Marker.JournalLine(" two  spaces kept"));
        assertThat(Marker.parse("systemctl said @@step user")).isEmpty();
        assertThat(Marker.parse("")).isEmpty();
    }

    @Test
    void aMarkerThisProvisionerDoesNotKnowIsABugNotOutput() {
        assertThatThrownBy(() -> Marker.parse("@@teleported somewhere")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("@@teleported");
        assertThatThrownBy(() -> Marker.parse("@@step warp-drive")).hasMessageContaining("warp-drive");
    }

    @Test
    void applyReportCollectsStepsAndTheFailureAndPassesMarkersOnAsTheyCome() {
        List<Marker> seen = new ArrayList<>();
        ApplyReport r = new ApplyReport(seen::add);
        List.of("@@step user", "noise", "@@uploaded 42", "@@step release", "@@fail config cannot write /etc/tailflow/.agent.yaml.new")
                .forEach(r);
        assertThat(r.done()).containsExactly(StepKind.USER, StepKind.RELEASE);
        assertThat(r.uploadedBytes()).isEqualTo(42);
        assertThat(r.failure()).contains(new Marker.StepFailed(StepKind.CONFIG, "cannot write /etc/tailflow/.agent.yaml.new"));
        assertThat(seen).hasSize(4);
        assertThat(ApplyReport.of("").done()).isEmpty();
        assertThat(ApplyReport.of("").uploadedBytes()).isEqualTo(-1);
    }

    @Test
    void verifyReportNeedsTheReadyMarkerAndExitZero() {
        assertThat(VerifyReport.of(new ExecResult(0, "@@ready 200\n", "")).ready()).isTrue();
        VerifyReport notReady = VerifyReport.of(new ExecResult(1,
                "@@notready unit failed/failed (result exit-code), /ready answered -\n@@journal agent: bad config\n", ""));
        assertThat(notReady.ready()).isFalse();
        assertThat(notReady.detail()).isEqualTo("unit failed/failed (result exit-code), /ready answered -");
        assertThat(notReady.journal()).containsExactly("agent: bad config");
        assertThat(VerifyReport.of(new ExecResult(255, "", "Connection reset")).detail()).isEqualTo("verify exited 255: Connection reset");
    }

    @Test
    void rollbackReportNamesWhatItAchieved() {
        assertThat(RollbackReport.of(new ExecResult(0, "@@rolledback 0.1.0-abc\n", "")).summary()).isEqualTo("rolled back to 0.1.0-abc");
        assertThat(RollbackReport.of(new ExecResult(0, "@@stopped no previous release to return to\n", "")).summary())
                .isEqualTo("agent stopped (no previous release to return to)");
        RollbackReport failed = RollbackReport.of(new ExecResult(0, "@@rollbackfailed restart of 0.1.0-abc failed\n", "Job failed"));
        assertThat(failed.ok()).isFalse();
        assertThat(failed.summary()).isEqualTo("ROLLBACK FAILED: restart of 0.1.0-abc failed Job failed");
        assertThat(RollbackReport.of(new ExecResult(1, "", "sh: 1: oops")).summary()).isEqualTo("ROLLBACK FAILED: rollback exit 1 sh: 1: oops");
    }
}
