package tailflow.agent;

import java.time.Duration;
import java.util.List;
import tailflow.agent.component.RuntimeOptions;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.ops.systemd.ServiceDaemon;
import tailflow.agent.ops.systemd.StatusLine;

/**
 * {@link AgentRuntime} as the daemon's service. A reload whose new config cannot start puts the
 * previous config back, so a bad edit plus {@code systemctl reload} never leaves the host unmonitored.
 */
public final class RuntimeService implements ServiceDaemon.Service {
    private final RuntimeOptions options;
    private volatile AgentRuntime runtime;
    private volatile StatusLine status;

    public RuntimeService(RuntimeOptions options) {
        this.options = options;
    }

    @Override
    public void start(AgentConfig config) throws Exception {
        AgentRuntime r = new AgentRuntime(config, options);
        status = new StatusLine(r.metrics(), r.health(), options.clock());
        runtime = r;
        r.start();
    }

    @Override
    public void reload(AgentConfig config) throws Exception {
        AgentRuntime r = runtime;
        AgentConfig previous = r.config();
        try {
            r.reload(config);
        } catch (Exception e) {
            try {
                r.reload(previous);
            } catch (Exception restore) {
                restore.addSuppressed(e);
                throw new ServiceDaemon.Unrecoverable("new config: " + e.getMessage()
                        + "; previous config: " + restore.getMessage(), restore);
            }
            throw e;
        }
    }

    @Override
    public boolean stop(Duration timeout) {
        AgentRuntime r = runtime;
        return r == null || r.stop(timeout);
    }

    @Override
    public synchronized String statusLine() {
        return runtime == null ? "starting" : status.next();
    }

    @Override
    public boolean ready() {
        AgentRuntime r = runtime;
        return r != null && r.health().ready();
    }

    @Override
    public List<String> stalled() {
        AgentRuntime r = runtime;
        return r == null ? List.of() : r.health().stalled();
    }
}
