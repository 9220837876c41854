package tailflow.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import tailflow.agent.component.Component;
import tailflow.agent.component.ComponentContext;
import tailflow.agent.component.ComponentFactory;
import tailflow.agent.component.Health;
import tailflow.agent.component.HealthView;
import tailflow.agent.component.RuntimeOptions;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.ops.http.OpsHttpServer;
import tailflow.agent.ops.metrics.Metrics;

/**
 * Starts and stops the agent's pipelines for one {@link AgentConfig}.
 *
 * <p>The pipelines are {@link Component}s built by the {@link #FACTORIES} list: to add one
 * (sflow, systemd notify) add one line there. {@link #start()} starts them in order,
 * {@link #stop(Duration)} stops them in reverse order within a shared deadline (SIGTERM),
 * {@link #reload(AgentConfig)} stops everything and starts again with the new config (SIGHUP);
 * the log pipeline writes its positions on stop, so a reload neither loses nor repeats lines.
 *
 * <p>Components get a {@link ComponentContext} (options, metrics, health), never this class: the
 * runtime is the top of the package graph and nothing below depends on it.
 */
public final class AgentRuntime {

    private static final Logger LOG = Logger.getLogger(AgentRuntime.class.getName());

    /** The agent's components, in start order. Add a pipeline here (one line). */
    static final List<ComponentFactory> FACTORIES = List.of(
            OpsHttpServer::create,
            tailflow.agent.logs.LogsPipeline::create,
            tailflow.agent.sflow.SflowPipeline::create);

    private final RuntimeOptions options;
    private final Metrics metrics = new Metrics();
    private final Health health = new Health(System::nanoTime);
    private final List<ComponentFactory> factories;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private AgentConfig config;
    private List<Component> running = List.of();

    public AgentRuntime(AgentConfig config, RuntimeOptions options) {
        this(config, options, FACTORIES);
    }

    /** For tests that run a subset of the components. */
    public AgentRuntime(AgentConfig config, RuntimeOptions options, List<ComponentFactory> factories) {
        this.config = config;
        this.options = options;
        this.factories = List.copyOf(factories);
    }

    /** Builds and starts every component; on failure stops the ones already started and rethrows. */
    public synchronized void start() throws Exception {
        // server.log_level: the root logger's level (the handlers pass everything on)
        java.util.logging.Logger.getLogger("").setLevel(config.server().julLevel());
        List<Component> started = new ArrayList<>();
        ComponentContext context = new ComponentContext(options, metrics, health);
        try {
            for (ComponentFactory factory : factories) {
                Optional<Component> component = factory.create(config, context);
                if (component.isPresent()) {
                    component.get().start();
                    started.add(component.get());
                }
            }
        } catch (Exception e) {
            stopAll(started, Duration.ofSeconds(5));
            health.stopped();
            throw e;
        }
        running = List.copyOf(started);
        health.running(running);
    }

    /**
     * Stops every component in reverse start order, all within {@code timeout} (each gets what is
     * left of it). Returns true when every component stopped cleanly.
     */
    public synchronized boolean stop(Duration timeout) {
        boolean clean = stopAll(running, timeout);
        running = List.of();
        health.stopped();
        stopped.countDown();
        return clean;
    }

    /** SIGHUP: stop with the old config, start with the new one. */
    public synchronized void reload(AgentConfig newConfig) throws Exception {
        stopAll(running, Duration.ofSeconds(30));
        running = List.of();
        health.stopped();
        config = newConfig;
        start();
    }

    /** Blocks until {@link #stop(Duration)} was called. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public synchronized AgentConfig config() {
        return config;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** Readiness, problems and stalled threads of the running components. */
    public HealthView health() {
        return health;
    }

    private static boolean stopAll(List<Component> components, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean clean = true;
        for (int i = components.size() - 1; i >= 0; i--) {
            Component c = components.get(i);
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            try {
                c.stop(left);
            } catch (Exception e) {
                clean = false;
                LOG.log(Level.WARNING, "stopping " + c.name() + " failed: " + e, e);
            }
        }
        return clean;
    }
}
