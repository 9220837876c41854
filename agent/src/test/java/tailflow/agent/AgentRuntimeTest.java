package tailflow.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tailflow.agent.component.Component;
import tailflow.agent.component.ComponentFactory;
import tailflow.agent.component.RuntimeOptions;
import tailflow.agent.config.AgentConfig;

class AgentRuntimeTest {

    private final List<String> events = new ArrayList<>();

    private ComponentFactory component(String name, boolean failStart) {
        return (config, context) -> Optional.of(new Component() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start() {
                if (failStart) {
                    throw new IllegalStateException(name + " cannot start");
                }
                events.add("start " + name);
            }

            @Override
            public void stop(Duration timeout) {
                events.add("stop " + name);
            }
        });
    }

    @Test
    void startsInOrderStopsInReverseAndReloadRestarts() throws Exception {
        AgentConfig config = TestConfigs.minimal();
        AgentRuntime runtime = new AgentRuntime(config, RuntimeOptions.defaults(),
                List.of(component("a", false), component("b", false)));
        runtime.start();
        assertThat(runtime.health().ready()).isTrue();
        runtime.reload(config);
        assertThat(runtime.stop(Duration.ofSeconds(1))).isTrue();
        assertThat(events).containsExactly("start a", "start b", "stop b", "stop a", "start a", "start b", "stop b", "stop a");
        assertThat(runtime.health().ready()).isFalse();
    }

    @Test
    void failedStartStopsWhatAlreadyStarted() {
        AgentRuntime runtime = new AgentRuntime(TestConfigs.minimal(), RuntimeOptions.defaults(),
                List.of(component("a", false), component("b", true)));
        assertThatThrownBy(runtime::start).hasMessage("b cannot start");
        assertThat(events).containsExactly("start a", "stop a");
    }
}
