package tailflow.agent.ops.systemd;

import java.time.Duration;
import tailflow.agent.AgentRuntime;
import tailflow.agent.RuntimeOptions;
import tailflow.agent.config.AgentConfig;

/**
 * {@link AgentRuntime} as the daemon's service. A reload whose new config cannot start puts the
 * previous config back, so a bad edit plus {@code systemctl reload} never leaves the host unmonitored.
 */
final class RuntimeService implements ServiceDaemon.Service {
    private final RuntimeOptions options;
    private volatile AgentRuntime runtime;
    private volatile StatusLine status;

    RuntimeService(RuntimeOptions options) {
        this.options = options;
    }

    @Override
    public void start(AgentConfig config) throws Exception {
        AgentRuntime r = new AgentRuntime(config, options);
        status = new StatusLine(r.metrics(), options.clock());
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
        AgentRuntime r = runtime;
        if (r == null) {
            return "starting";
        }
        String line = status.next();
        return r.ready() ? line : line + "; waiting for: " + String.join(", ", r.notReady());
    }
}
