package tailflow.agent.sflow.record;

import tailflow.agent.sflow.xdr.XdrWriter;

/** 0:1005 the interface's name (string&lt;255&gt;). */
public record PortName(String name) implements CounterRecord {
    public static final int TAG = 1005;

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void writeBody(XdrWriter w) {
        w.string(name, 255);
    }
}
