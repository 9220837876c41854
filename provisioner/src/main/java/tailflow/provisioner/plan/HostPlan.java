package tailflow.provisioner.plan;

import java.util.List;
import java.util.Optional;

/**
 * The plan for one host: the steps (empty when the host is already as wanted), warnings that do
 * not stop the run, a refusal when the host cannot run the agent at all, and the release to
 * fall back to if verification fails ({@code previousRelease}: what {@code current} pointed to
 * before, possibly the same release when only config or unit change).
 */
public record HostPlan(String host, List<Step> steps, List<String> warnings, Optional<String> refusal,
                       Optional<String> previousRelease, String release) {

    public HostPlan {
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
    }

    public boolean has(StepKind kind) {
        return steps.stream().anyMatch(s -> s.kind() == kind);
    }

    public boolean empty() {
        return steps.isEmpty();
    }
}
