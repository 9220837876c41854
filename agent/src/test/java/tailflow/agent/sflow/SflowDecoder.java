package tailflow.agent.sflow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tailflow.agent.sflow.record.CounterRecord;
import tailflow.agent.sflow.record.CounterSample;
import tailflow.agent.sflow.record.ExtendedTimestamp;
import tailflow.agent.sflow.record.FlowRecord;
import tailflow.agent.sflow.record.FlowSample;
import tailflow.agent.sflow.record.GenericInterface;
import tailflow.agent.sflow.record.HostAdapters;
import tailflow.agent.sflow.record.HostCpu;
import tailflow.agent.sflow.record.HostDescr;
import tailflow.agent.sflow.record.HostDiskIo;
import tailflow.agent.sflow.record.HostMemory;
import tailflow.agent.sflow.record.HostNetIo;
import tailflow.agent.sflow.record.PortName;
import tailflow.agent.sflow.record.RawPacketHeader;
import tailflow.agent.sflow.record.SflowRecord;
import tailflow.agent.sflow.record.TcpInfo;
import tailflow.agent.sflow.record.UnknownRecord;

/**
 * A strict sFlow v5 decoder written from sflow_version_5.txt / sflow_host.txt (test code only): it reads
 * every field in spec order with its own cursor, checks each record consumed exactly its declared length
 * and that the datagram has no trailing bytes. Unknown tags are kept as {@link UnknownRecord}.
 */
public final class SflowDecoder {

    public record Datagram(int version, InetAddress agent, long subAgentId, long sequence, long uptimeMs,
            List<SflowRecord> samples) {
        public List<FlowSample> flowSamples() {
            return samples.stream().filter(FlowSample.class::isInstance).map(FlowSample.class::cast).toList();
        }

        public List<CounterSample> counterSamples() {
            return samples.stream().filter(CounterSample.class::isInstance).map(CounterSample.class::cast).toList();
        }
    }

    private final ByteBuffer b;

    private SflowDecoder(byte[] data, int len) {
        this.b = ByteBuffer.wrap(data, 0, len);
    }

    public static Datagram decode(byte[] data, int len) {
        return new SflowDecoder(data, len).datagram();
    }

    private Datagram datagram() {
        int version = b.getInt();
        if (version != 5) {
            throw new IllegalArgumentException("version " + version);
        }
        int type = b.getInt();
        byte[] addr = new byte[type == 1 ? 4 : type == 2 ? 16 : fail("address type " + type)];
        b.get(addr);
        InetAddress agent;
        try {
            agent = InetAddress.getByAddress(addr);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
        long sub = u32();
        long seq = u32();
        long uptime = u32();
        int n = b.getInt();
        List<SflowRecord> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int tag = b.getInt();
            int len = b.getInt();
            int end = b.position() + len;
            SflowRecord s = switch (tag) {
                case FlowSample.TAG -> flowSample();
                case CounterSample.TAG -> counterSample();
                default -> unknown(tag, len);
            };
            expectAt(end, "sample " + tag);
            samples.add(s);
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(b.remaining() + " trailing bytes");
        }
        return new Datagram(version, agent, sub, seq, uptime, samples);
    }

    private FlowSample flowSample() {
        long seq = u32();
        int dsClass = b.getInt();
        int dsIndex = b.getInt();
        long rate = u32();
        long pool = u32();
        long drops = u32();
        int inFmt = b.getInt();
        long in = u32();
        int outFmt = b.getInt();
        long out = u32();
        int n = b.getInt();
        List<FlowRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int tag = b.getInt();
            int len = b.getInt();
            int end = b.position() + len;
            FlowRecord r = switch (tag) {
                case RawPacketHeader.TAG -> {
                    int proto = b.getInt();
                    long frame = u32();
                    long stripped = u32();
                    yield new RawPacketHeader(proto, frame, stripped, opaque());
                }
                case ExtendedTimestamp.TAG -> new ExtendedTimestamp(b.getLong());
                case TcpInfo.TAG -> new TcpInfo(b.getInt(), u32(), u32(), u32(), u32(), u32(), u32(), u32(), u32(),
                        u32(), u32(), u32());
                default -> unknown(tag, len);
            };
            expectAt(end, "flow record " + tag);
            records.add(r);
        }
        return new FlowSample(seq, dsClass, dsIndex, rate, pool, drops, inFmt, in, outFmt, out, records);
    }

    private CounterSample counterSample() {
        long seq = u32();
        int dsClass = b.getInt();
        int dsIndex = b.getInt();
        int n = b.getInt();
        List<CounterRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int tag = b.getInt();
            int len = b.getInt();
            int end = b.position() + len;
            CounterRecord r = switch (tag) {
                case GenericInterface.TAG -> new GenericInterface(b.getInt(), b.getInt(), b.getLong(), b.getInt(),
                        b.getInt(), b.getLong(), u32(), u32(), u32(), u32(), u32(), u32(), b.getLong(), u32(), u32(),
                        u32(), u32(), u32(), b.getInt());
                case PortName.TAG -> new PortName(string());
                case HostDescr.TAG -> {
                    String host = string();
                    byte[] uuid = new byte[16];
                    b.get(uuid);
                    yield new HostDescr(host, uuid, b.getInt(), b.getInt(), string());
                }
                case HostAdapters.TAG -> {
                    int count = b.getInt();
                    List<HostAdapters.Adapter> list = new ArrayList<>();
                    for (int k = 0; k < count; k++) {
                        int ifIndex = b.getInt();
                        int macs = b.getInt();
                        List<MacAddress> m = new ArrayList<>();
                        for (int j = 0; j < macs; j++) {
                            byte[] six = new byte[6];
                            b.get(six);
                            skipPad(6);
                            m.add(new MacAddress(MacAddress.bitsAt(six, 0)));
                        }
                        list.add(new HostAdapters.Adapter(ifIndex, m));
                    }
                    yield new HostAdapters(list);
                }
                case HostCpu.TAG -> new HostCpu(b.getFloat(), b.getFloat(), b.getFloat(), u32(), u32(), u32(), u32(),
                        u32(), u32(), u32(), u32(), u32(), u32(), u32(), u32(), u32(), u32(), u32(), u32(), u32());
                case HostMemory.TAG -> new HostMemory(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(),
                        b.getLong(), b.getLong(), u32(), u32(), u32(), u32());
                case HostDiskIo.TAG -> new HostDiskIo(b.getLong(), b.getLong(), u32(), u32(), b.getLong(), u32(),
                        u32(), b.getLong(), u32());
                case HostNetIo.TAG -> new HostNetIo(b.getLong(), u32(), u32(), u32(), b.getLong(), u32(), u32(), u32());
                default -> unknown(tag, len);
            };
            expectAt(end, "counter record " + tag);
            records.add(r);
        }
        return new CounterSample(seq, dsClass, dsIndex, records);
    }

    private UnknownRecord unknown(int tag, int len) {
        byte[] body = new byte[len];
        b.get(body);
        return new UnknownRecord(tag, body);
    }

    private long u32() {
        return b.getInt() & 0xFFFF_FFFFL;
    }

    private byte[] opaque() {
        int len = b.getInt();
        byte[] v = new byte[len];
        b.get(v);
        skipPad(len);
        return v;
    }

    private String string() {
        return new String(opaque(), StandardCharsets.UTF_8);
    }

    private void skipPad(int len) {
        for (int i = len; i % 4 != 0; i++) {
            if (b.get() != 0) {
                throw new IllegalArgumentException("non-zero XDR padding at " + (b.position() - 1));
            }
        }
    }

    private void expectAt(int end, String what) {
        if (b.position() != end) {
            throw new IllegalArgumentException(what + " declared its end at " + end + " but its fields end at "
                    + b.position());
        }
    }

    private static int fail(String msg) {
        throw new IllegalArgumentException(msg);
    }
}
