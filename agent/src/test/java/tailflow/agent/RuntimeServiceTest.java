package tailflow.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tailflow.agent.component.RuntimeOptions;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.LimitsConfig;
import tailflow.agent.config.PositionsConfig;
import tailflow.agent.config.ServerConfig;
import tailflow.agent.config.TargetConfig;

/** The real AgentRuntime under the daemon's reload contract. */
class RuntimeServiceTest {
    private static AgentConfig config(int httpPort) {
        return new AgentConfig(new ServerConfig("127.0.0.1", httpPort, 0),
                new PositionsConfig(Path.of("/nonexistent/positions.yaml"), Duration.ofSeconds(10)),
                List.of(), List.of(), new TargetConfig(Duration.ofSeconds(10)),
                new LimitsConfig(256 * 1024, Duration.ofSeconds(1)), Optional.empty(), List.of());
    }

    @Test
    void aReloadThatCannotStartKeepsThePreviousConfigRunning() throws Exception {
        RuntimeService service = new RuntimeService(RuntimeOptions.defaults());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            service.start(config(0));
            assertThat(service.statusLine()).startsWith("tailing 0 files");

            assertThatThrownBy(() -> service.reload(config(taken.getLocalPort())))
                    .hasMessageContaining("Address already in use");
            assertThat(service.statusLine()).startsWith("tailing 0 files");
        } finally {
            assertThat(service.stop(Duration.ofSeconds(5))).isTrue();
        }
    }
}
