package tailflow.agent.sflow.record;

import tailflow.agent.sflow.xdr.XdrWriter;

/** 0:2209 the local socket's TCP state for a sampled TCP packet; times in microseconds. */
public record TcpInfo(int dirn, long sndMss, long rcvMss, long unacked, long lost, long retrans, long pmtu,
        long rttMicros, long rttVarMicros, long sndCwnd, long reordering, long minRttMicros) implements FlowRecord {
    public static final int TAG = 2209;
    public static final int RECEIVED = 1;
    public static final int SENT = 2;

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void writeBody(XdrWriter w) {
        w.u32(dirn).u32(sndMss).u32(rcvMss).u32(unacked).u32(lost).u32(retrans).u32(pmtu)
                .u32(rttMicros).u32(rttVarMicros).u32(sndCwnd).u32(reordering).u32(minRttMicros);
    }
}
