package tailflow.agent.dryrun;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.agent.CliRun;

/** agent --dry-run --sample-lines: a pipeline checked on sample lines before rolling it out. */
class SampleLinesTest {

    @Test
    void printsEachEntryWithLabelsTimestampMetadataAndDrops(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, """
                clients: [{url: http://loki:3100/loki/api/v1/push}]
                scrape_configs:
                  - job_name: app
                    static_configs: [{targets: [localhost], labels: {job: app, __path__: /var/log/app.log}}]
                    pipeline_stages:
                      - json: {expressions: {level: level, msg: msg, ts: time, trace: trace_id}}
                      - drop: {source: level, value: debug}
                      - labels: {level: }
                      - structured_metadata: {trace: }
                      - timestamp: {source: ts, format: RFC3339}
                      - output: {source: msg}
                """);
        Path sample = dir.resolve("sample.log");
        Files.writeString(sample, """
                {"level":"info","msg":"started","time":"2024-03-04T05:06:07Z","trace_id":"abc"}
                {"level":"debug","msg":"noise","time":"2024-03-04T05:06:08Z"}
                not json
                """);
        CliRun r = CliRun.run(CliRun.host(Map.of(), dir), "--dry-run", "--config", config.toString(),
                "--sample-lines", sample.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("""
                    entries:
                      - timestamp: 2024-03-04T05:06:07Z
                        labels:
                          filename: %s
                          hostname: testhost
                          job: app
                          level: info
                        structured_metadata:
                          trace: abc
                        line: started
                      - dropped: drop_stage
                """.formatted(sample), "    line: not json\n");
        assertThat(CliRun.run(CliRun.host(Map.of(), dir), "--config", config.toString(), "--sample-lines", sample.toString()).exit())
                .isEqualTo(2);
    }
}
