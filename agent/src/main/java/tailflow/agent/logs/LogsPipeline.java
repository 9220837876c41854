package tailflow.agent.logs;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import tailflow.agent.component.Component;
import tailflow.agent.component.ComponentContext;
import tailflow.agent.component.Health;
import tailflow.agent.component.RuntimeOptions;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.ClientConfig;
import tailflow.agent.config.ScrapeConfig;
import tailflow.agent.journal.JournalSources;
import tailflow.agent.loki.Backoff;
import tailflow.agent.loki.BatchSink;
import tailflow.agent.loki.LokiClient;
import tailflow.agent.loki.LokiHttp;
import tailflow.agent.loki.LokiSink;
import tailflow.agent.loki.StdoutSink;
import tailflow.agent.ops.metrics.Metrics;
import tailflow.agent.pipeline.Chain;
import tailflow.agent.pipeline.ChainFactory;
import tailflow.agent.pipeline.Labels;
import tailflow.agent.pipeline.Relabeling;
import tailflow.agent.pipeline.Source;
import tailflow.agent.positions.PositionsFile;

/**
 * The logs half of the agent: one {@link ClientPipeline} per Loki client (or one printing to
 * stdout with {@code --stdout}), sharing one positions file. Each client gets its own file source,
 * its own chain per job (from the {@link ChainFactory}) and its own {@link LokiClient}.
 */
public final class LogsPipeline implements Component {

    private final List<ClientPipeline> pipelines;

    LogsPipeline(List<ClientPipeline> pipelines) {
        this.pipelines = List.copyOf(pipelines);
    }

    public static Optional<Component> create(AgentConfig config, ComponentContext context) throws Exception {
        return create(config, context, chainFactory(config, context.metrics()));
    }

    /**
     * Where a job's {@code relabel_configs} and {@code pipeline_stages} come from: the one place
     * to plug them in (the stages from {@link JobStages}, each job's relabel_configs from {@link JobRelabeling}).
     */
    static ChainFactory chainFactory(AgentConfig config, Metrics metrics) {
        JobStages stages = new JobStages(config, metrics);
        return JobRelabeling.around(new ChainFactory() {
            @Override
            public List<tailflow.agent.pipeline.Stage> stages(String jobName) {
                return stages.stages(jobName);
            }

            @Override
            public Relabeling relabeling(String jobName) {
                return Relabeling.identity();
            }
        }, config);
    }

    static Optional<Component> create(AgentConfig config, ComponentContext context, ChainFactory chains)
            throws Exception {
        RuntimeOptions options = context.options();
        if (config.scrapeConfigs().isEmpty() || config.clients().isEmpty() && !options.stdout()) {
            return Optional.empty();
        }
        PositionsFile positions = new PositionsFile(config.positions().filename());
        List<ClientPipeline> pipelines = new ArrayList<>();
        if (options.stdout()) {
            LokiClient client = new LokiClient(new StdoutSink(options.out()), 1024 * 1024, Duration.ofMillis(100),
                    System::nanoTime, "stdout");
            pipelines.add(pipeline(config, options, "stdout", "stdout", Map.of(), positions, client, chains,
                    context.metrics(), true, context.health()));
        } else {
            boolean primary = true;
            for (ClientConfig c : config.clients()) {
                String host = hostOf(c.url());
                BatchSink sink = new LokiSink(new LokiHttp(c)::post, c.encoding(),
                        new Backoff(c.backoff().minPeriod(), c.backoff().maxPeriod(), new Random()),
                        d -> TimeUnit.NANOSECONDS.sleep(d.toNanos()), System::nanoTime, host, context.metrics(), context.health(),
                        c.timeout());
                LokiClient client = new LokiClient(sink, c.batchSizeBytes(), c.batchWait(), System::nanoTime, host);
                Metrics.Counter dropped = context.metrics().counter("tailflow_dropped_entries_total",
                        "Number of log entries dropped because Loki rejected them for good.", "host", "reason");
                client.limitStreams(config.limits().maxStreams(), () -> dropped.inc(1, host, "stream_limited"));
                String key = clientKey(c);
                pipelines.add(pipeline(config, options, key, host, c.externalLabels(), positions, client, chains,
                        context.metrics(), primary, context.health()));
                primary = false;
            }
        }
        return Optional.of(new LogsPipeline(pipelines));
    }

    /**
     * How long the reader may go without a loop turn before the watchdog takes it for wedged: a turn
     * reads a bounded amount and waits at most 2 s, so only a call that never returns (a hung
     * file system, a stuck fsync of the positions file) gets near this.
     */
    static final Duration READER_SILENCE = Duration.ofMinutes(2);

    /** One client's pipeline: its targets (relabelled once), a chain per job, the file source. */
    static ClientPipeline pipeline(AgentConfig config, RuntimeOptions options, String key, String host,
            Map<String, String> externalLabels, PositionsFile positions, LokiClient client, ChainFactory chainFactory,
            Metrics metrics, boolean primary, Health health) {
        FileMetrics fileMetrics = new FileMetrics(metrics, primary);
        List<Target> targets = new ArrayList<>();
        Map<String, Chain> chains = new LinkedHashMap<>();
        for (ScrapeConfig job : config.scrapeConfigs()) {
            Relabeling relabeling = chainFactory.relabeling(job.jobName());
            for (ScrapeConfig.StaticConfig sc : job.staticConfigs()) {
                Map<String, String> labels = new HashMap<>(externalLabels);
                labels.putIfAbsent("hostname", options.hostname());
                labels.putAll(sc.labels());
                labels.put("__path__", sc.pathGlob());
                relabeling.apply(Labels.of(labels)).ifPresent(l -> targets.add(
                        new Target(job.jobName(), sc.pathGlob(), sc.pathExcludeGlob(), l.withoutInternal())));
            }
            chains.computeIfAbsent(job.jobName(), name -> new Chain(chainFactory.stages(name), client,
                    reason -> fileMetrics.droppedByStages.inc(1, host, reason)));
        }
        FileSource.Settings settings = new FileSource.Settings(key, host, targets,
                (int) Math.min(Integer.MAX_VALUE - 16, config.limits().maxLineSize()), config.limits().partialLineWait(),
                config.targetConfig().syncPeriod(), config.positions().syncPeriod(), primary);
        FileSource files = new FileSource(settings, positions, client, chains, options.clock(), System::nanoTime, fileMetrics);
        List<Source> sources = new ArrayList<>(List.of(files));
        JournalSources.forClient(config, key, positions, chains, client::full, options.clock(), metrics, primary)
                .ifPresent(sources::add);
        return new ClientPipeline(host, sources, List.copyOf(chains.values()), client,
                config.positions().syncPeriod(), System::nanoTime, health.heartbeat("logs-reader-" + host, READER_SILENCE));
    }

    /** A client's section in the positions file: its URL, and its tenant if it has one. */
    public static String clientKey(ClientConfig c) {
        return c.url() + c.tenantId().map(t -> "#" + t).orElse("");
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
