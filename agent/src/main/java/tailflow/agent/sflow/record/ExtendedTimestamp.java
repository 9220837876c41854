package tailflow.agent.sflow.record;

import tailflow.agent.sflow.xdr.XdrWriter;

/** 0:1043 capture time, nanoseconds since the epoch. */
public record ExtendedTimestamp(long nanos) implements FlowRecord {
    public static final int TAG = 1043;

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void writeBody(XdrWriter w) {
        w.u64(nanos);
    }
}
