package tailflow.provisioner.plan;

import java.util.Optional;

/** One change the plan will make, why, and (for text files) the unified diff with secrets masked. */
public record Step(StepKind kind, String reason, Optional<String> diff) {

    public static Step of(StepKind kind, String reason) {
        return new Step(kind, reason, Optional.empty());
    }
}
