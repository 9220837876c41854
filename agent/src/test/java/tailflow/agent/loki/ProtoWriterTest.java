package tailflow.agent.loki;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** varintSize by comparisons against the bytes the writer actually produces, at every 7-bit boundary. */
class ProtoWriterTest {

    @Test
    void varintSizeIsTheWrittenLengthAtEveryBoundary() {
        ProtoWriter w = new ProtoWriter(16);
        for (int bits = 0; bits <= 64; bits++) {
            long edge = bits == 64 ? -1L : 1L << bits;
            for (long v : new long[] {edge - 1, edge, edge + 1, -edge, Long.MIN_VALUE, Long.MAX_VALUE, 0}) {
                w.reset();
                w.varint(v);
                assertThat(ProtoWriter.varintSize(v)).as("varint of %d", v).isEqualTo(w.pos);
                assertThat(EntryEncoding.varint(new byte[10], 0, v)).as("entry varint of %d", v).isEqualTo(w.pos);
            }
        }
    }
}
