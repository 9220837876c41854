package tailflow.provisioner.report;

/** A planned step and what became of it: "planned" (--check), "changed", "failed", "not run"; diff is "" when none. */
public record StepResult(String step, String reason, String outcome, String diff) {}
