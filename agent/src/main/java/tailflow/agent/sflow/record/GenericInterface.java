package tailflow.agent.sflow.record;

import tailflow.agent.sflow.xdr.XdrWriter;

/**
 * 0:1 generic interface counters (88 bytes). 32-bit counters the kernel does not give are
 * {@link #UNKNOWN} (0xFFFFFFFF); 32-bit counters wrap as the MIB's do.
 *
 * @param ifStatus bit 0 admin up, bit 1 oper up
 */
public record GenericInterface(int ifIndex, int ifType, long ifSpeed, int ifDirection, int ifStatus,
        long inOctets, long inUcastPkts, long inMulticastPkts, long inBroadcastPkts, long inDiscards, long inErrors,
        long inUnknownProtos, long outOctets, long outUcastPkts, long outMulticastPkts, long outBroadcastPkts,
        long outDiscards, long outErrors, int promiscuous) implements CounterRecord {
    public static final int TAG = 1;
    public static final long UNKNOWN = 0xFFFF_FFFFL;

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void writeBody(XdrWriter w) {
        w.u32(ifIndex).u32(ifType).u64(ifSpeed).u32(ifDirection).u32(ifStatus)
                .u64(inOctets).u32(inUcastPkts).u32(inMulticastPkts).u32(inBroadcastPkts).u32(inDiscards)
                .u32(inErrors).u32(inUnknownProtos)
                .u64(outOctets).u32(outUcastPkts).u32(outMulticastPkts).u32(outBroadcastPkts).u32(outDiscards)
                .u32(outErrors).u32(promiscuous);
    }
}
