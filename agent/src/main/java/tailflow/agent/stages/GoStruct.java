package tailflow.agent.stages;

/**
 * A template value with Go fields or niladic methods ({@code .Major} of a semver, {@code .Unix}
 * of a time): what {@code .Name} on it evaluates to, or null when it has no such field.
 */
interface GoStruct {
    Object field(String name);
}
