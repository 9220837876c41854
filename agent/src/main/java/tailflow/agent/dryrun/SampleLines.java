package tailflow.agent.dryrun;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.ScrapeConfig;
import tailflow.agent.ops.metrics.Metrics;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Emitter;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;
import tailflow.agent.stages.StageContext;
import tailflow.agent.stages.StagesStage;

/**
 * {@code agent --dry-run --sample-lines FILE}: runs each file job's pipeline_stages on the lines of
 * FILE, as if FILE were one of the job's files, and prints every entry that comes out (labels,
 * timestamp, structured metadata, line) and every drop with its reason: the way to check a
 * pipeline before rolling it out. Lines get the read time as their timestamp, as a real run does;
 * multiline blocks still open at the end are let go as the agent does when it stops.
 */
public final class SampleLines {
    private final Supplier<String> hostname;
    private final Clock clock;

    public SampleLines(Supplier<String> hostname, Clock clock) {
        this.hostname = hostname;
        this.clock = clock;
    }

    public void print(AgentConfig config, Path sample, PrintWriter out) throws IOException {
        try {
            out.println("# agent --dry-run --sample-lines " + sample + ": each job's pipeline_stages on these lines");
            out.print(EffectiveConfig.mapper().writeValueAsString(report(config, sample)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps always serialize", e);
        }
    }

    public Map<String, Object> report(AgentConfig config, Path sample) throws IOException {
        String text = Files.readString(sample, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // the newline ending the last line
        }
        List<Object> jobs = new ArrayList<>();
        for (ScrapeConfig job : config.scrapeConfigs()) {
            if (job.staticConfigs().isEmpty()) {
                continue;
            }
            jobs.add(job(config, job, sample, lines));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("sample_lines", lines.size());
        root.put("jobs", jobs);
        return root;
    }

    private Map<String, Object> job(AgentConfig config, ScrapeConfig job, Path sample, List<String> lines) {
        Map<String, String> base = new TreeMap<>();
        if (!config.clients().isEmpty()) {
            base.putAll(config.clients().get(0).externalLabels());
        }
        base.putIfAbsent("hostname", hostname.get());
        base.putAll(job.staticConfigs().get(0).labels());
        base.put("filename", sample.toString());
        Labels labels = Labels.of(base);
        List<Object> results = new ArrayList<>();
        Emitter collect = new Emitter() {
            @Override
            public void emit(Entry e) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("timestamp", Instant.ofEpochSecond(0, e.timestampNanos()).toString());
                m.put("labels", e.labels().withoutInternal().asMap());
                if (!e.structuredMetadata().isEmpty()) {
                    m.put("structured_metadata", e.structuredMetadata().asMap());
                }
                e.labels().asMap().entrySet().stream().filter(l -> l.getKey().equals("__tenant_id__"))
                        .forEach(l -> m.put("tenant", l.getValue()));
                m.put("line", e.line());
                results.add(m);
            }

            @Override
            public void drop(Entry e, String reason) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dropped", reason.isEmpty() ? "(not counted)" : reason);
                m.put("line", e.line());
                results.add(m);
            }
        };
        StagesStage stages = new StagesStage(job.pipelineStages(), new StageContext(clock, System::nanoTime, new Metrics(), true,
                job.jobName(), java.util.random.RandomGenerator.getDefault(), nanos -> { }));
        long offset = 0;
        for (String line : lines) {
            offset += line.getBytes(StandardCharsets.UTF_8).length + 1L;
            Instant now = clock.instant();
            long ts = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            stages.process(new Entry(labels, ts, line, new Checkpoint.FileOffset(sample, offset)), collect);
        }
        stages.flush(collect);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("job_name", job.jobName());
        j.put("stages", job.pipelineStages().stream().map(s -> s.name()).toList());
        j.put("entries", results);
        return j;
    }
}
