package tailflow.agent.sflow.record;

import tailflow.agent.sflow.xdr.XdrWriter;

/** 0:2006 network totals over up, non-loopback interfaces. */
public record HostNetIo(long bytesIn, long pktsIn, long errsIn, long dropsIn, long bytesOut, long pktsOut,
        long errsOut, long dropsOut) implements CounterRecord {
    public static final int TAG = 2006;

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void writeBody(XdrWriter w) {
        w.u64(bytesIn).u32(pktsIn).u32(errsIn).u32(dropsIn).u64(bytesOut).u32(pktsOut).u32(errsOut).u32(dropsOut);
    }
}
