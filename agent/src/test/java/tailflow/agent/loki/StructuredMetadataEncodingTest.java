package tailflow.agent.loki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;

/** Structured metadata in protobuf (EntryAdapter field 3) and JSON pushes (the value's third element). */
class StructuredMetadataEncodingTest {

    private static Batch batch() {
        Batch b = new Batch();
        Labels stream = Labels.of("job", "app");
        b.add(new Entry(stream, 1_700_000_000_000_000_001L, "plain", new Checkpoint.FileOffset("f", 6)), 0);
        b.add(new Entry(stream, 1_700_000_000_000_000_002L, "with metadata", Labels.of("trace_id", "abc", "empty", ""),
                new Checkpoint.FileOffset("f", 20)), 0);
        return b;
    }

    @Test
    void protobufCarriesEachPairAndKeepsTheExactSize() {
        Batch b = batch();
        PushEncoder enc = new PushEncoder();
        int length = enc.encode(b, 0, b.entries());
        assertThat((long) length).isEqualTo(b.encodedSize());
        byte[] raw = Arrays.copyOf(enc.raw(), length);
        // field 3, length 15: {1: "trace_id" (8 bytes)}, {2: "abc" (3 bytes)}; an empty value is left out as proto3 does
        byte[] traceId = {0x1a, 15, 0x0a, 8, 't', 'r', 'a', 'c', 'e', '_', 'i', 'd', 0x12, 3, 'a', 'b', 'c'};
        byte[] empty = {0x1a, 7, 0x0a, 5, 'e', 'm', 'p', 't', 'y'};
        assertThat(indexOf(raw, traceId)).isPositive();
        assertThat(indexOf(raw, empty)).isPositive();
        assertThat(b.structuredMetadata(0).isEmpty()).isTrue();
    }

    @Test
    void jsonAddsTheMetadataObjectOnlyWhereThereIsSome() throws Exception {
        byte[] gz = new JsonEncoder().encode(batch(), 0, 2);
        String json = new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"streams\":[{\"stream\":{\"job\":\"app\"},\"values\":[[\"1700000000000000001\",\"plain\"],"
                + "[\"1700000000000000002\",\"with metadata\",{\"empty\":\"\",\"trace_id\":\"abc\"}]]}]}");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
