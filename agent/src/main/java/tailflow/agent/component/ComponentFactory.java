package tailflow.agent.component;

import java.util.Optional;
import tailflow.agent.config.AgentConfig;

/** Builds a component for a config, or nothing when the config does not ask for it. */
@FunctionalInterface
public interface ComponentFactory {
    Optional<Component> create(AgentConfig config, ComponentContext context) throws Exception;
}
