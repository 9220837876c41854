package tailflow.agent.stages;

/**
 * One configured pipeline stage, as the config binder made it: a value whose expressions (regex,
 * template, JMESPath, selector, timestamp layout) are already checked, so a bad one is a config
 * error at its line rather than a surprise at run time.
 */
public interface StageSpec {

    /** The stage's name in pipeline_stages ({@code regex}, {@code json}, ...). */
    String name();

    /** A fresh stage with its own state (one per job and client chain). */
    Step create(StageContext ctx);
}
