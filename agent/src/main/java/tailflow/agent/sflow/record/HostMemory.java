package tailflow.agent.sflow.record;

import tailflow.agent.sflow.xdr.XdrWriter;

/** 0:2004 host memory in bytes, and paging/swapping counts in pages. */
public record HostMemory(long total, long free, long shared, long buffers, long cached, long swapTotal,
        long swapFree, long pageIn, long pageOut, long swapIn, long swapOut) implements CounterRecord {
    public static final int TAG = 2004;

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void writeBody(XdrWriter w) {
        w.u64(total).u64(free).u64(shared).u64(buffers).u64(cached).u64(swapTotal).u64(swapFree)
                .u32(pageIn).u32(pageOut).u32(swapIn).u32(swapOut);
    }
}
