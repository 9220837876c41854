package tailflow.agent.sflow.record;

import tailflow.agent.sflow.xdr.XdrWriter;

/** A tagged sFlow structure: tag = enterprise &lt;&lt; 12 | format, then length, then this body. */
public interface SflowRecord {
    int tag();

    void writeBody(XdrWriter w);

    /** Writes tag, length and body. */
    default void write(XdrWriter w) {
        w.u32(tag());
        int len = w.reserve();
        writeBody(w);
        w.patchLength(len);
    }

    static int tag(int enterprise, int format) {
        return (enterprise << 12) | format;
    }
}
