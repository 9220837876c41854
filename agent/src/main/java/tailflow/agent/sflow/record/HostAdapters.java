package tailflow.agent.sflow.record;

import java.util.List;
import tailflow.agent.sflow.MacAddress;
import tailflow.agent.sflow.xdr.XdrWriter;

/** 0:2001 the host's adapters: per adapter its ifIndex and MACs (each 6 bytes padded to 8). */
public record HostAdapters(List<Adapter> adapters) implements CounterRecord {
    public static final int TAG = 2001;

    public HostAdapters {
        adapters = List.copyOf(adapters);
    }

    public record Adapter(int ifIndex, List<MacAddress> macs) {
        public Adapter {
            macs = List.copyOf(macs);
        }
    }

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void writeBody(XdrWriter w) {
        w.u32(adapters.size());
        for (Adapter a : adapters) {
            w.u32(a.ifIndex()).u32(a.macs().size());
            for (MacAddress m : a.macs()) {
                w.fixed(m.bytes(), 0, 6);
            }
        }
    }
}
