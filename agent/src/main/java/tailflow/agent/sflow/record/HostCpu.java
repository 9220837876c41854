package tailflow.agent.sflow.record;

import tailflow.agent.sflow.xdr.XdrWriter;

/** 0:2003 host CPU: load averages, processes, CPU count and MHz, uptime, times in ms, interrupts, contexts. */
public record HostCpu(float loadOne, float loadFive, float loadFifteen, long procRun, long procTotal, long cpuNum,
        long cpuSpeedMhz, long uptimeSeconds, long userMs, long niceMs, long systemMs, long idleMs, long iowaitMs,
        long irqMs, long softIrqMs, long interrupts, long contexts, long stealMs, long guestMs, long guestNiceMs)
        implements CounterRecord {
    public static final int TAG = 2003;

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void writeBody(XdrWriter w) {
        w.f32(loadOne).f32(loadFive).f32(loadFifteen).u32(procRun).u32(procTotal).u32(cpuNum).u32(cpuSpeedMhz)
                .u32(uptimeSeconds).u32(userMs).u32(niceMs).u32(systemMs).u32(idleMs).u32(iowaitMs).u32(irqMs)
                .u32(softIrqMs).u32(interrupts).u32(contexts).u32(stealMs).u32(guestMs).u32(guestNiceMs);
    }
}
