package tailflow.agent.sflow.record;

import tailflow.agent.sflow.xdr.XdrWriter;

/** 0:2005 disk space (bytes) over local file systems and I/O totals over whole disks. */
public record HostDiskIo(long diskTotal, long diskFree, long partMaxUsedPercent100, long reads, long bytesRead,
        long readTimeMs, long writes, long bytesWritten, long writeTimeMs) implements CounterRecord {
    public static final int TAG = 2005;

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void writeBody(XdrWriter w) {
        w.u64(diskTotal).u64(diskFree).u32(partMaxUsedPercent100).u32(reads).u64(bytesRead).u32(readTimeMs)
                .u32(writes).u64(bytesWritten).u32(writeTimeMs);
    }
}
