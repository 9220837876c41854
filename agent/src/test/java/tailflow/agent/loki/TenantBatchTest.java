package tailflow.agent.loki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import tailflow.agent.component.Health;
import tailflow.agent.config.ClientConfig;
import tailflow.agent.ops.metrics.Metrics;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;

/** Per-entry tenants (Promtail's {@code __tenant_id__}): one push per tenant, the label never sent. */
class TenantBatchTest {

    private record Push(String tenant, String body) {}

    private final List<Push> pushes = new ArrayList<>();
    private final Metrics metrics = new Metrics();

    private LokiSink sink(ClientConfig.PushEncoding encoding) {
        LokiSink.Transport t = (body, len, type, enc, tenant) -> {
            pushes.add(new Push(tenant, encoding == ClientConfig.PushEncoding.JSON ? gunzip(body, len) : ""));
            return new LokiHttp.Answer(204, "");
        };
        return new LokiSink(t, encoding, new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5), new SplittableRandom(1)),
                d -> { }, () -> 0, "loki:3100", metrics, new Health(() -> 0), Duration.ofSeconds(10));
    }

    private static String gunzip(byte[] body, int len) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body, 0, len))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Entry entry(String tenant, String line) {
        Labels l = Labels.of("job", "app");
        return new Entry(tenant == null ? l : l.with(Batch.TENANT_LABEL, tenant), 1_000L, line, new tailflow.agent.pipeline.Checkpoint.FileOffset("f", 1));
    }

    @Test
    void aBatchOfThreeTenantsIsSentAsOnePushPerTenantInFirstSeenOrder() throws Exception {
        Batch b = new Batch();
        b.add(entry("acme", "a1"), 0);
        b.add(entry(null, "own1"), 0);
        b.add(entry("beta", "b1"), 0);
        b.add(entry("acme", "a2"), 0);
        sink(ClientConfig.PushEncoding.JSON).deliver(b);
        assertThat(pushes).extracting(Push::tenant).containsExactly("acme", null, "beta");
        assertThat(pushes.get(0).body()).isEqualTo(
                "{\"streams\":[{\"stream\":{\"job\":\"app\"},\"values\":[[\"1000\",\"a1\"],[\"1000\",\"a2\"]]}]}");
        assertThat(pushes.get(1).body()).contains("\"own1\"").doesNotContain("a1", "b1");
        assertThat(pushes.get(2).body()).contains("\"b1\"").doesNotContain("a1", "own1");
        assertThat(metrics.counter("tailflow_sent_entries_total", "", "host").get("loki:3100")).isEqualTo(4);
    }

    @Test
    void theTenantLabelIsNeverSentAndASingleTenantBatchIsOnePush() throws Exception {
        Batch b = new Batch();
        b.add(entry("acme", "x"), 0);
        b.add(entry("acme", "y"), 0);
        assertThat(b.streamLabels(0).lokiText()).isEqualTo("{job=\"app\"}");
        assertThat(b.tenants()).containsExactly("acme");
        sink(ClientConfig.PushEncoding.PROTOBUF).deliver(b);
        assertThat(pushes).extracting(Push::tenant).containsExactly("acme");
    }

    @Test
    void protobufPushOfOneTenantHoldsOnlyThatTenantsStreams() {
        Batch b = new Batch();
        b.add(entry("acme", "only-acme"), 0);
        b.add(entry("beta", "only-beta"), 0);
        PushEncoder enc = new PushEncoder();
        int n = enc.encode(b, 0, b.entries(), "beta");
        String raw = new String(enc.raw(), 0, n, StandardCharsets.ISO_8859_1);
        assertThat(raw).contains("only-beta").doesNotContain("only-acme").doesNotContain("__tenant_id__");
        int all = enc.encode(b, 0, b.entries());
        assertThat(all).isGreaterThan(n);
    }

    @Test
    void clearForgetsTheTenants() {
        Batch b = new Batch();
        b.add(entry("acme", "x"), 0);
        b.clear();
        b.add(entry(null, "y"), 0);
        assertThat(b.tenants()).containsExactly((String) null);
        assertThat(b.streamTenant(0)).isNull();
    }
}
