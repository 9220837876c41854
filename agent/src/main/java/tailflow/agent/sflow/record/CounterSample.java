package tailflow.agent.sflow.record;

import java.util.List;
import tailflow.agent.sflow.xdr.XdrWriter;

/** 0:4 expanded counters sample: data source 0:ifIndex for an interface, 2:1 for the host. */
public record CounterSample(long sequence, int dsClass, int dsIndex, List<CounterRecord> records) implements SflowRecord {
    public static final int TAG = 4;
    public static final int DS_INTERFACE = 0;
    public static final int DS_HOST = 2;

    public CounterSample {
        records = List.copyOf(records);
    }

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void writeBody(XdrWriter w) {
        w.u32(sequence).u32(dsClass).u32(dsIndex).u32(records.size());
        for (CounterRecord r : records) {
            r.write(w);
        }
    }
}
