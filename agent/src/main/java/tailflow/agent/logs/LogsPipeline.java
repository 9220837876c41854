package tailflow.agent.logs;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import tailflow.agent.component.ComponentContext;
import tailflow.agent.component.Component;
import tailflow.agent.component.RuntimeOptions;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.ClientConfig;
import tailflow.agent.config.ScrapeConfig;
import tailflow.agent.loki.Backoff;
import tailflow.agent.loki.BatchSink;
import tailflow.agent.loki.LokiHttp;
import tailflow.agent.loki.LokiSink;
import tailflow.agent.loki.StdoutSink;
import tailflow.agent.ops.metrics.Metrics;

/**
 * The logs half of the agent: one {@link ClientPipeline} per Loki client (or one printing to
 * stdout with {@code --stdout}), sharing one positions file.
 */
public final class LogsPipeline implements Component {

    private final List<ClientPipeline> pipelines;

    LogsPipeline(List<ClientPipeline> pipelines) {
        this.pipelines = List.copyOf(pipelines);
    }

    public static Optional<Component> create(AgentConfig config, ComponentContext context) throws Exception {
        RuntimeOptions options = context.options();
        if (config.scrapeConfigs().isEmpty() || config.clients().isEmpty() && !options.stdout()) {
            return Optional.empty();
        }
        PositionsFile positions = new PositionsFile(config.positions().filename());
        List<ClientPipeline> pipelines = new ArrayList<>();
        if (options.stdout()) {
            pipelines.add(pipeline(config, options, "stdout", "stdout", Map.of(), Duration.ofMillis(100), 1024 * 1024,
                    positions, new StdoutSink(options.out()), context.metrics(), true));
        } else {
            boolean primary = true;
            for (ClientConfig client : config.clients()) {
                String host = hostOf(client.url());
                BatchSink sink = new LokiSink(new LokiHttp(client)::post, client.encoding(),
                        new Backoff(client.backoff().minPeriod(), client.backoff().maxPeriod(), new Random()),
                        d -> TimeUnit.NANOSECONDS.sleep(d.toNanos()), System::nanoTime, host, context.metrics(), context.health(), client.timeout());
                String key = client.url() + client.tenantId().map(t -> "#" + t).orElse("");
                pipelines.add(pipeline(config, options, key, host, client.externalLabels(), client.batchWait(),
                        client.batchSizeBytes(), positions, sink, context.metrics(), primary));
                primary = false;
            }
        }
        return Optional.of(new LogsPipeline(pipelines));
    }

    private static ClientPipeline pipeline(AgentConfig config, RuntimeOptions options, String key, String host,
            Map<String, String> externalLabels, Duration batchWait, long batchBytes, PositionsFile positions,
            BatchSink sink, Metrics metrics, boolean primary) {
        List<Target> targets = new ArrayList<>();
        for (ScrapeConfig job : config.scrapeConfigs()) {
            for (ScrapeConfig.StaticConfig sc : job.staticConfigs()) {
                Map<String, String> labels = new HashMap<>(externalLabels);
                labels.putIfAbsent("hostname", options.hostname());
                labels.putAll(sc.labels());
                targets.add(new Target(sc.pathGlob(), sc.pathExcludeGlob(), labels));
            }
        }
        ClientPipeline.Settings settings = new ClientPipeline.Settings(key, host, targets,
                (int) Math.min(Integer.MAX_VALUE - 16, config.limits().maxLineSize()), config.limits().partialLineWait(),
                config.targetConfig().syncPeriod(), config.positions().syncPeriod(), batchWait, batchBytes, primary);
        return new ClientPipeline(settings, positions, sink, options.clock(), System::nanoTime, metrics);
    }

    static String hostOf(URI url) {
        return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
    }

    @Override
    public String name() {
        return "logs";
    }

    @Override
    public void start() {
        pipelines.forEach(ClientPipeline::start);
    }

    /**
     * SIGTERM: every client stops reading and flushes what is batched; positions are written by
     * each client before {@code timeout} runs out (a quarter of it, at most 2 s, is kept for that).
     */
    @Override
    public void stop(Duration timeout) throws InterruptedException {
        long now = System.nanoTime();
        long end = now + timeout.toNanos();
        long flushUntil = end - Math.min(timeout.toNanos() / 4, TimeUnit.SECONDS.toNanos(2));
        pipelines.forEach(p -> p.requestStop(flushUntil));
        for (ClientPipeline p : pipelines) {
            p.awaitStopped(end);
        }
    }

    @Override
    public boolean ready() {
        return pipelines.stream().allMatch(ClientPipeline::ready);
    }
}
