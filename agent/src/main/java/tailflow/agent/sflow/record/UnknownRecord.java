package tailflow.agent.sflow.record;

import java.util.Arrays;
import java.util.HexFormat;
import tailflow.agent.sflow.xdr.XdrWriter;

/** A record a decoder did not know, kept as its tag and raw body (decoders skip by length). */
public record UnknownRecord(int tag, byte[] body) implements FlowRecord, CounterRecord {
    @Override
    public void writeBody(XdrWriter w) {
        w.fixed(body, 0, body.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownRecord u && u.tag == tag && Arrays.equals(u.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * tag + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "UnknownRecord[" + (tag >>> 12) + ":" + (tag & 0xFFF) + " " + HexFormat.of().formatHex(body) + "]";
    }
}
