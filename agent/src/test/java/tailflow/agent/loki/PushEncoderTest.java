package tailflow.agent.loki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;

/**
 * The batch's running size against the encoder's bytes, and the encoded timestamps and lines read
 * back by a small protobuf reader written here from the schema: timestamps of every shape (zero,
 * negative, on a second, runs within one second, out of order) across several streams.
 */
class PushEncoderTest {

    record Decoded(String labels, long timestampNanos, String line) {}

    @Test
    void sizeIsExactAndEveryTimestampAndLineReadsBack() {
        Random r = new Random(11);
        long[] shapes = {0, -1, -1_000_000_000L, -1_500_000_000L, 1_000_000_000L, 999_999_999L, 1_700_000_000_000_000_000L,
            1_700_000_000_999_999_999L, 1_700_000_001_000_000_000L, Long.MAX_VALUE / 2};
        Batch b = new Batch();
        List<Decoded> expected = new ArrayList<>();
        long ts = 1_700_000_000_000_000_000L;
        for (int i = 0; i < 3000; i++) {
            long t = switch (r.nextInt(4)) {
                case 0 -> shapes[r.nextInt(shapes.length)];
                case 1 -> ts += r.nextInt(3); // runs inside one second
                case 2 -> ts += r.nextInt(2_000_000_000);
                default -> ts - r.nextInt(1_000_000_000);
            };
            Labels labels = Labels.of("job", "j" + r.nextInt(3));
            String line = "line " + i + " " + "x".repeat(r.nextInt(300));
            Labels metadata = r.nextInt(10) == 0 ? Labels.of("trace_id", "t" + i) : Labels.empty();
            b.add(new Entry(labels, t, line, metadata, new Checkpoint.FileOffset("f", i)), 0);
            expected.add(new Decoded(labels.lokiText(), t, line));
        }
        PushEncoder enc = new PushEncoder();
        int length = enc.encode(b, 0, b.entries());
        assertThat((long) length).isEqualTo(b.encodedSize());
        List<Decoded> decoded = decode(Arrays.copyOf(enc.raw(), length));
        // The encoder groups by stream and sorts by timestamp within one (stably): compare as sorted lists.
        java.util.Comparator<Decoded> order = java.util.Comparator.comparing(Decoded::labels)
                .thenComparingLong(Decoded::timestampNanos).thenComparing(Decoded::line);
        assertThat(decoded.stream().sorted(order).toList()).isEqualTo(expected.stream().sorted(order).toList());
    }

    private static List<Decoded> decode(byte[] raw) {
        List<Decoded> out = new ArrayList<>();
        Reader req = new Reader(raw, 0, raw.length);
        while (req.more()) {
            assertThat(req.tag()).isEqualTo(1 << 3 | 2);
            Reader stream = req.sub();
            String labels = null;
            while (stream.more()) {
                int tag = stream.tag();
                if (tag == (1 << 3 | 2)) {
                    labels = stream.string();
                    continue;
                }
                assertThat(tag).isEqualTo(2 << 3 | 2);
                Reader entry = stream.sub();
                long seconds = 0;
                long nanos = 0;
                String line = "";
                while (entry.more()) {
                    int t = entry.tag();
                    if (t == (1 << 3 | 2)) {
                        Reader ts = entry.sub();
                        while (ts.more()) {
                            int f = ts.tag();
                            long v = ts.varint();
                            if (f == (1 << 3)) {
                                seconds = v;
                            } else {
                                nanos = (int) v;
                            }
                        }
                    } else if (t == (2 << 3 | 2)) {
                        line = entry.string();
                    } else {
                        entry.sub(); // structured metadata: covered by StructuredMetadataEncodingTest
                    }
                }
                out.add(new Decoded(labels, seconds * 1_000_000_000L + nanos, line));
            }
        }
        return out;
    }

    private static final class Reader {
        final byte[] b;
        int pos;
        final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte x = b[pos++];
                v |= (long) (x & 0x7f) << shift;
                if (x >= 0) {
                    return v;
                }
            }
        }

        int tag() {
            return (int) varint();
        }

        Reader sub() {
            int n = (int) varint();
            Reader r = new Reader(b, pos, pos + n);
            pos += n;
            assertThat(pos).isLessThanOrEqualTo(end);
            return r;
        }

        String string() {
            Reader r = sub();
            return new String(b, r.pos, r.end - r.pos, StandardCharsets.UTF_8);
        }
    }
}
