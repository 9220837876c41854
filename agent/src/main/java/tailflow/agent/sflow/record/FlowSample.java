package tailflow.agent.sflow.record;

import java.util.List;
import tailflow.agent.sflow.xdr.XdrWriter;

/**
 * 0:3 expanded flow sample. u32 fields are held in longs so they print unsigned.
 *
 * @param samplePool packets that could have been sampled on this data source
 * @param drops      packets lost for lack of resources, cumulative
 * @param inputFormat 0 = ifIndex in inputValue; inputValue {@link #INTERNAL} = the host itself
 */
public record FlowSample(long sequence, int dsClass, int dsIndex, long samplingRate, long samplePool, long drops,
        int inputFormat, long inputValue, int outputFormat, long outputValue, List<FlowRecord> records)
        implements SflowRecord {
    public static final int TAG = 3;
    /** ifIndex value meaning "internal to the host" (the host model's end of a packet). */
    public static final long INTERNAL = 0x3FFF_FFFFL;

    public FlowSample {
        records = List.copyOf(records);
    }

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void writeBody(XdrWriter w) {
        w.u32(sequence).u32(dsClass).u32(dsIndex).u32(samplingRate).u32(samplePool).u32(drops)
                .u32(inputFormat).u32(inputValue).u32(outputFormat).u32(outputValue).u32(records.size());
        for (FlowRecord r : records) {
            r.write(w);
        }
    }
}
