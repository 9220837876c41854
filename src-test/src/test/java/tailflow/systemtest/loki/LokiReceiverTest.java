package tailflow.systemtest.loki;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DynamicMessage;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyFramedOutputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tailflow.agent.loki.Batch;
import tailflow.agent.pipeline.Labels;
import tailflow.agent.loki.PushEncoder;
import tailflow.systemtest.loki.LokiProto.E;

/**
 * The receiver's decoder against protobuf-java (an independent encoder), its Loki rules, and the
 * agent's hand-written encoder against protobuf-java's parser.
 */
class LokiReceiverTest {

    private static final long NOW = System.currentTimeMillis() * 1_000_000L;
    private final LokiProto proto = new LokiProto();
    private final HttpClient http = HttpClient.newHttpClient();
    private LokiReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = LokiReceiver.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private static byte[] snappy(byte[] raw) {
        SnappyCompressor c = new SnappyCompressor();
        byte[] out = new byte[c.maxCompressedLength(raw.length)];
        int n = c.compress(raw, 0, raw.length, out, 0, out.length);
        return java.util.Arrays.copyOf(out, n);
    }

    private HttpResponse<String> post(byte[] body, String type, String encoding) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(receiver.pushUrl()).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            b.header("Content-Encoding", encoding);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postProto(Map<String, List<E>> streams) throws Exception {
        return post(snappy(proto.request(streams).toByteArray()), "application/x-protobuf", null);
    }

    @Test
    void decodesProtobufBuiltByProtobufJavaAndDropsDuplicates() throws Exception {
        Map<String, List<E>> streams = new LinkedHashMap<>();
        streams.put("{filename=\"/var/log/syslog\", job=\"varlogs\"}", List.of(new E(NOW, "first"), new E(NOW + 1, "sécond ☃")));
        streams.put("{job=\"other\"}", List.of(new E(NOW + 5, "")));
        assertThat(postProto(streams).statusCode()).isEqualTo(204);
        assertThat(postProto(streams).statusCode()).isEqualTo(204);
        assertThat(receiver.entries()).containsExactly(
                new LokiReceiver.Entry("{filename=\"/var/log/syslog\", job=\"varlogs\"}", NOW, "first"),
                new LokiReceiver.Entry("{filename=\"/var/log/syslog\", job=\"varlogs\"}", NOW + 1, "sécond ☃"),
                new LokiReceiver.Entry("{job=\"other\"}", NOW + 5, ""));
        assertThat(receiver.duplicates()).isEqualTo(3);
        // same timestamp, different line: not a duplicate (Loki keeps both)
        assertThat(postProto(Map.of("{job=\"other\"}", List.of(new E(NOW + 5, "x"))))).extracting(HttpResponse::statusCode).isEqualTo(204);
        assertThat(receiver.storedCount()).isEqualTo(4);
    }

    @Test
    void decodesGzippedJson() throws Exception {
        String json = "{\"streams\":[{\"stream\":{\"job\":\"varlogs\",\"hostname\":\"h1\"},\"values\":[[\"" + NOW
                + "\",\"a \\\"quoted\\\" line\"]]}]}";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(json.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(post(bytes.toByteArray(), "application/json", "gzip").statusCode()).isEqualTo(204);
        assertThat(receiver.entries()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo("a \"quoted\" line");
            assertThat(LokiReceiver.parseLabels(e.labels())).containsEntry("hostname", "h1").containsEntry("job", "varlogs");
        });
    }

    @Test
    void rejectsFramedSnappyLikeLoki() throws Exception {
        byte[] raw = proto.request(Map.of("{job=\"a\"}", List.of(new E(NOW, "x")))).toByteArray();
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        try (SnappyFramedOutputStream out = new SnappyFramedOutputStream(framed)) {
            out.write(raw);
        }
        assertThat(post(framed.toByteArray(), "application/x-protobuf", null).statusCode()).isEqualTo(400);
        assertThat(receiver.storedCount()).isZero();
    }

    @Test
    void enforcesLokiValidation() throws Exception {
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 16; i++) {
            many.append(i == 0 ? "" : ", ").append("l").append(i).append("=\"v\"");
        }
        many.append('}');
        assertThat(postProto(Map.of(many.toString(), List.of(new E(NOW, "x")))).body()).contains("16 label names");
        assertThat(postProto(Map.of("{a=\"1\", a=\"2\"}", List.of(new E(NOW, "x")))).body()).contains("duplicate label");
        assertThat(postProto(Map.of("{0bad=\"1\"}", List.of(new E(NOW, "x")))).body()).contains("invalid label name");
        assertThat(postProto(Map.of("job=\"x\"", List.of(new E(NOW, "x")))).statusCode()).isEqualTo(400);
        assertThat(postProto(Map.of("{a=\"1\"}", List.of(new E(NOW, "y".repeat(256 * 1024 + 1))))).body()).contains("Max entry size");
        assertThat(postProto(Map.of("{a=\"1\"}", List.of(new E(NOW - 8L * 24 * 3600 * 1_000_000_000L, "old"))))).extracting(HttpResponse::body)
                .asString().contains("too old");
        assertThat(postProto(Map.of("{a=\"1\"}", List.of(new E(NOW + 11L * 60 * 1_000_000_000L, "new"))))).extracting(HttpResponse::body)
                .asString().contains("too new");
        assertThat(receiver.storedCount()).isZero();
        assertThat(postProto(Map.of("{a=\"1\"}", List.of(new E(NOW, "now")))).statusCode()).isEqualTo(204);
        assertThat(postProto(Map.of("{a=\"1\"}", List.of(new E(NOW - 61L * 60 * 1_000_000_000L, "behind"))))).extracting(HttpResponse::body)
                .asString().contains("too far behind");
        assertThat(postProto(Map.of("{a=\"1\"}", List.of(new E(NOW - 59L * 60 * 1_000_000_000L, "in window")))).statusCode())
                .isEqualTo(204);
        assertThat(receiver.storedCount()).isEqualTo(2);
    }

    @Test
    void oversizedDecodedRequestIsAnswered500LikeLokisGrpcLimit() throws Exception {
        List<E> entries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            entries.add(new E(NOW + i, "z".repeat(250_000)));
        }
        HttpResponse<String> r = postProto(Map.of("{a=\"1\"}", entries));
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("larger than max");
    }

    @Test
    void injectedFailures() throws Exception {
        Map<String, List<E>> s = Map.of("{a=\"1\"}", List.of(new E(NOW, "x")));
        receiver.mode(LokiReceiver.Mode.FAIL_429);
        assertThat(postProto(s).statusCode()).isEqualTo(429);
        receiver.mode(LokiReceiver.Mode.FAIL_500);
        assertThat(postProto(s).statusCode()).isEqualTo(500);
        receiver.mode(LokiReceiver.Mode.HANG);
        HttpRequest hanging = HttpRequest.newBuilder(receiver.pushUrl()).timeout(java.time.Duration.ofMillis(300))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(snappy(proto.request(s).toByteArray()))).build();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> http.send(hanging, HttpResponse.BodyHandlers.ofString())))
                .isInstanceOf(java.net.http.HttpTimeoutException.class);
        receiver.mode(LokiReceiver.Mode.OK);
        assertThat(postProto(s).statusCode()).isEqualTo(204);
        assertThat(receiver.storedCount()).isEqualTo(1);
        // standalone control endpoint
        HttpResponse<String> m = http.send(HttpRequest.newBuilder(URI.create(receiver.pushUrl().resolve("/tailflow/mode") + "?set=400"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(postProto(s).statusCode()).isEqualTo(400);
    }

    @Test
    void agentEncoderOutputParsesWithProtobufJava() throws Exception {
        Batch batch = new Batch();
        batch.add(Labels.of("filename", "/a"), "one".getBytes(StandardCharsets.UTF_8), 1_700_000_000_123_456_789L, 0);
        batch.add(Labels.of("filename", "/b"), "x".repeat(300).getBytes(StandardCharsets.UTF_8), 1_700_000_001_000_000_000L, 0);
        batch.add(Labels.of("filename", "/a"), "twö".getBytes(StandardCharsets.UTF_8), 1_700_000_000_000_000_001L, 0); // out of order
        PushEncoder enc = new PushEncoder();
        int n = enc.encode(batch, 0, batch.entries());
        assertThat((long) n).isEqualTo(batch.encodedSize());
        DynamicMessage parsed = DynamicMessage.parseFrom(proto.pushRequest, java.util.Arrays.copyOf(enc.raw(), n));
        DynamicMessage expected = proto.request(new LinkedHashMap<>(Map.of(
                "{filename=\"/a\"}", List.of(new E(1_700_000_000_000_000_001L, "twö"), new E(1_700_000_000_123_456_789L, "one")))));
        List<?> streams = (List<?>) parsed.getField(proto.pushRequest.findFieldByName("streams"));
        assertThat(streams).hasSize(2);
        assertThat(streams.get(0)).isEqualTo(((List<?>) expected.getField(proto.pushRequest.findFieldByName("streams"))).get(0));
        // and the compressed form is snappy block that the receiver accepts
        int c = enc.compress();
        assertThat(post(java.util.Arrays.copyOf(enc.compressed(), c), "application/x-protobuf", null).statusCode()).isEqualTo(400);
        // 400 above: timestamps from 2023 are "too old" for Loki; with current ones it is stored
        Batch fresh = new Batch();
        fresh.add(Labels.of("filename", "/a"), "now".getBytes(StandardCharsets.UTF_8), NOW, 0);
        enc.encode(fresh, 0, 1);
        c = enc.compress();
        assertThat(post(java.util.Arrays.copyOf(enc.compressed(), c), "application/x-protobuf", null).statusCode()).isEqualTo(204);
        assertThat(receiver.entries()).containsExactly(new LokiReceiver.Entry("{filename=\"/a\"}", NOW, "now"));
    }

    @Test
    void agentJsonEncoderOutputIsAccepted() throws Exception {
        Batch batch = new Batch();
        batch.add(Labels.of("filename", "/var/log/a b", "job", "x"), "tab\there \"q\" \\ é".getBytes(StandardCharsets.UTF_8), NOW, 0);
        batch.add(Labels.of("job", "y"), "second".getBytes(StandardCharsets.UTF_8), NOW + 1, 0);
        byte[] body = new tailflow.agent.loki.JsonEncoder().encode(batch, 0, batch.entries());
        assertThat(post(body, "application/json", "gzip").statusCode()).isEqualTo(204);
        assertThat(receiver.entries()).extracting(LokiReceiver.Entry::line).containsExactly("tab\there \"q\" \\ é", "second");
        assertThat(LokiReceiver.parseLabels(receiver.entries().get(0).labels())).containsEntry("filename", "/var/log/a b");
    }
}
