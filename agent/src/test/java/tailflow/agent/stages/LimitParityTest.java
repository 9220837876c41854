package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import tailflow.agent.pipeline.Labels;

/** limit.go validateLimitConfig and shouldThrottle: by_label_name counts only when not empty. */
class LimitParityTest {
    private final Run run = new Run();

    @Test
    void anEmptyByLabelNameIsNoByLabelName() {
        RateStages.LimitSpec spec = RateStages.LimitSpec.of(1, 1, false, Optional.of(""), 0);
        assertThat(spec.byLabelName()).isEmpty();
        assertThatThrownBy(() -> RateStages.LimitSpec.of(1, 1, false, Optional.of("app"), 0))
                .hasMessageContaining("drop must be true");
        assertThatThrownBy(() -> RateStages.LimitSpec.of(0, 1, true, Optional.empty(), 0)).hasMessageContaining("rate or burst");
        assertThatThrownBy(() -> RateStages.LimitSpec.of(1, 0, true, Optional.empty(), 0)).hasMessageContaining("rate or burst");
    }

    @Test
    void byLabelLimitsEachValueAndLetsEntriesWithoutTheLabelThrough() {
        Step s = run.step(RateStages.LimitSpec.of(1, 1, true, Optional.of("app"), 0));
        for (String app : new String[] {"a", "a", "b", null, null}) {
            Labels l = app == null ? Labels.of("job", "j") : Labels.of("app", app);
            s.process(Run.item("x", l, java.util.Map.of()), run);
        }
        assertThat(run.out).hasSize(4);
        assertThat(run.dropped).containsExactly("ratelimit_drop_stage");
    }
}
