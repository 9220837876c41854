package tailflow.agent.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlift.compress.snappy.SnappyDecompressor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Our snappy block encoder against an independent decoder (aircompressor's) and against the
 * format description: round trips over many generated inputs, incompressible data, long runs,
 * fragment boundaries, and the exact bytes of small cases.
 */
class SnappyBlockEncoderTest {
    private final SnappyBlockEncoder encoder = new SnappyBlockEncoder();

    private byte[] compress(byte[] in) {
        return compress(in, 0, in.length);
    }

    private byte[] compress(byte[] in, int offset, int length) {
        byte[] out = new byte[SnappyBlockEncoder.maxCompressedLength(length) + 7];
        int n = encoder.compress(in, offset, length, out, 7);
        assertThat(n).isLessThanOrEqualTo(SnappyBlockEncoder.maxCompressedLength(length));
        return Arrays.copyOfRange(out, 7, 7 + n);
    }

    private static byte[] decompress(byte[] compressed) {
        int length = SnappyDecompressor.getUncompressedLength(compressed, 0);
        byte[] out = new byte[length];
        int n = new SnappyDecompressor().decompress(compressed, 0, compressed.length, out, 0, out.length);
        assertThat(n).isEqualTo(length);
        return out;
    }

    private void assertRoundTrip(byte[] in, String what) {
        assertThat(decompress(compress(in))).as(what + " (" + in.length + " bytes)").isEqualTo(in);
    }

    @Test
    void roundTripsGeneratedInputsOfEveryShape() {
        Random random = new Random(20261129);
        for (int i = 0; i < 400; i++) {
            int length = switch (i % 4) {
                case 0 -> random.nextInt(32);
                case 1 -> random.nextInt(4096);
                case 2 -> random.nextInt(70_000);
                default -> random.nextInt(300_000);
            };
            byte[] in = switch (i % 5) {
                case 0 -> randomBytes(random, length);
                case 1 -> smallAlphabet(random, length, 1 + random.nextInt(4));
                case 2 -> repeatedChunks(random, length);
                case 3 -> logLines(random, length);
                default -> runs(random, length);
            };
            assertRoundTrip(in, "input " + i);
        }
    }

    @Test
    void incompressibleDataGrowsOnlyByTheLiteralHeaders() {
        byte[] in = randomBytes(new Random(1), 1 << 20);
        byte[] out = compress(in);
        assertThat(decompress(out)).isEqualTo(in);
        // 16 fragments, each one literal of 65536 bytes: 3 header bytes; plus the 3-byte varint
        assertThat(out.length).isEqualTo(in.length + 16 * 3 + 3);
    }

    @Test
    void longRunsBecomeCopiesOfSixtyFourBytes() {
        byte[] zeros = new byte[1 << 20];
        byte[] out = compress(zeros);
        assertThat(decompress(out)).isEqualTo(zeros);
        // per 64 KiB fragment: a 1-byte literal and about 65535 / 64 copies of 3 bytes
        assertThat(out.length).isLessThan(16 * (2 + 3 * 1025) + 4);
    }

    @Test
    void fragmentBoundariesAndOffsetsIntoTheArrays() {
        Random random = new Random(7);
        for (int length : new int[] {0, 1, 14, 15, 16, 65_535, 65_536, 65_537, 2 * 65_536, 2 * 65_536 + 3, 5 * 65_536 - 1}) {
            byte[] in = logLines(random, length);
            assertRoundTrip(in, "log lines");
            byte[] padded = new byte[length + 20];
            System.arraycopy(in, 0, padded, 11, length);
            assertThat(decompress(compress(padded, 11, length))).isEqualTo(in);
        }
    }

    @Test
    void exactBytesOfSmallCases() {
        // varint of the length, then a literal: tag (n-1)<<2
        assertThat(compress(new byte[0])).containsExactly(0);
        assertThat(compress("abc".getBytes(StandardCharsets.US_ASCII))).containsExactly(3, 2 << 2, 'a', 'b', 'c');
        // 20 x 'a': literal "a" at 0 (the search starts at 1), then a copy of 19 at offset 1:
        // 19 >= 12, so a 2-byte-offset copy: tag 2 | (19-1)<<2, offset 1 little-endian
        byte[] as = new byte[20];
        Arrays.fill(as, (byte) 'a');
        assertThat(compress(as)).containsExactly(20, 0, 'a', 2 | 18 << 2, 1, 0);
        // a short repeat near the start uses the 1-byte-offset copy: tag 1 | (len-4)<<2 | (offset>>8)<<5
        byte[] text = "0123456789abcdef-0123456789-and-a-tail-long-enough".getBytes(StandardCharsets.US_ASCII);
        byte[] out = compress(text);
        assertThat(decompress(out)).isEqualTo(text);
        assertThat(out).contains((byte) (1 | (10 - 4) << 2), (byte) 17);
    }

    @Test
    void literalLengthsUseOneToThreeExtraBytesAsTheFormatSays() {
        Random random = new Random(3);
        // 60 bytes: length-1 = 59 fits the tag; 61: one extra byte (60<<2); 300: two (61<<2)
        assertThat(compress(randomBytes(random, 60))[1]).isEqualTo((byte) (59 << 2));
        byte[] sixtyOne = compress(randomBytes(random, 61));
        assertThat(sixtyOne[1]).isEqualTo((byte) (60 << 2));
        assertThat(sixtyOne[2]).isEqualTo((byte) 60);
        byte[] threeHundred = compress(randomBytes(random, 300));
        assertThat(threeHundred[2]).isEqualTo((byte) (61 << 2));
        assertThat((threeHundred[3] & 0xff) | (threeHundred[4] & 0xff) << 8).isEqualTo(299);
    }

    @Test
    void refusesAnOutputWithoutRoomForTheWorstCase() {
        assertThatThrownBy(() -> encoder.compress(new byte[100], 0, 100, new byte[100], 0))
                .hasMessageContaining("output needs " + SnappyBlockEncoder.maxCompressedLength(100));
    }

    static byte[] randomBytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static byte[] smallAlphabet(Random random, int length, int bits) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) ('a' + random.nextInt(1 << bits));
        }
        return b;
    }

    /** Chunks of earlier output repeated at random distances (up to beyond a fragment), some mutated. */
    private static byte[] repeatedChunks(Random random, int length) {
        byte[] b = new byte[length];
        int i = 0;
        while (i < length) {
            int n = Math.min(length - i, 1 + random.nextInt(200));
            if (i > 0 && random.nextInt(3) > 0) {
                int from = Math.max(0, i - 1 - random.nextInt(Math.min(i, 100_000)));
                for (int k = 0; k < n; k++) {
                    b[i + k] = b[from + k]; // may overlap: a run with a period
                }
                if (random.nextBoolean()) {
                    b[i + random.nextInt(n)] ^= 1;
                }
            } else {
                for (int k = 0; k < n; k++) {
                    b[i + k] = (byte) random.nextInt(256);
                }
            }
            i += n;
        }
        return b;
    }

    static byte[] logLines(Random random, int length) {
        StringBuilder s = new StringBuilder(length + 200);
        String[] hosts = {"web-01", "db-02", "cache-03"};
        String[] msgs = {"GET /api/v1/items 200", "connection reset by peer", "slow query took", "user login ok"};
        long t = 1_764_000_000_000L;
        while (s.length() < length) {
            t += random.nextInt(5000);
            s.append(t).append(' ').append(hosts[random.nextInt(hosts.length)]).append(" app[")
                    .append(1000 + random.nextInt(50)).append("]: ").append(msgs[random.nextInt(msgs.length)])
                    .append(' ').append(random.nextInt(100_000)).append('\n');
        }
        return Arrays.copyOf(s.toString().getBytes(StandardCharsets.US_ASCII), length);
    }

    private static byte[] runs(Random random, int length) {
        byte[] b = new byte[length];
        int i = 0;
        while (i < length) {
            int n = Math.min(length - i, 1 + random.nextInt(random.nextBoolean() ? 10 : 5000));
            Arrays.fill(b, i, i + n, (byte) random.nextInt(4));
            i += n;
        }
        return b;
    }
}
