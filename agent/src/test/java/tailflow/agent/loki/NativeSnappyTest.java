package tailflow.agent.loki;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.snappy.SnappyDecompressor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * libsnappy through JNA against an independent decoder (aircompressor's), over inputs that make
 * its native buffers grow and shrink, and the Java fallback chosen on request. The test machine
 * has libsnappy1v5 (src-test/setup-test-machine.sh): its absence fails here rather than silently
 * testing only the fallback.
 */
class NativeSnappyTest {

    private static byte[] roundTrip(SnappyCompression c, byte[] in) {
        int n = c.compress(in, in.length);
        byte[] out = c.output();
        assertThat(n).isBetween(1, Math.min(out.length, SnappyCompression.maxCompressedLength(in.length)));
        byte[] back = new byte[SnappyDecompressor.getUncompressedLength(out, 0)];
        new SnappyDecompressor().decompress(out, 0, n, back, 0, back.length);
        return back;
    }

    @Test
    void libsnappyIsFoundAndRoundTripsInputsOfEverySize() {
        Optional<SnappyCompression> loaded = NativeSnappy.load();
        assertThat(loaded).as("libsnappy.so.1 (Debian libsnappy1v5) must be installed on the test machine").isPresent();
        SnappyCompression c = loaded.get();
        Random r = new Random(7);
        StringBuilder lines = new StringBuilder();
        while (lines.length() < 3 << 20) {
            lines.append("Nov 25 10:00:").append(r.nextInt(60)).append(" web-01 sshd[").append(r.nextInt(65536))
                    .append("]: Accepted publickey for deploy\n");
        }
        byte[] text = lines.toString().getBytes(StandardCharsets.US_ASCII);
        for (int length : new int[] {0, 1, 15, 100, 65536, 65537, 1 << 20, 3 << 20, 17}) {
            byte[] in = Arrays.copyOf(text, length);
            assertThat(roundTrip(c, in)).as("%d bytes of log text", length).isEqualTo(in);
        }
        byte[] noise = new byte[200_001];
        r.nextBytes(noise);
        assertThat(roundTrip(c, noise)).as("incompressible").isEqualTo(noise);
    }

    @Test
    void javaIsChosenWhenAskedFor() {
        SnappyCompression java = SnappyCompression.choose("java");
        assertThat(java).isNotInstanceOf(NativeSnappy.class);
        byte[] in = "abcabcabcabcabcabcabc".getBytes(StandardCharsets.US_ASCII);
        assertThat(roundTrip(java, in)).isEqualTo(in);
        assertThat(SnappyCompression.choose("")).isInstanceOf(NativeSnappy.class);
    }
}
