package tailflow.systemtest.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import tailflow.agent.sflow.SflowDecoder;
import tailflow.agent.sflow.SflowDecoder.Datagram;
import tailflow.agent.sflow.record.CounterSample;
import tailflow.agent.sflow.record.FlowSample;
import tailflow.agent.sflow.record.GenericInterface;
import tailflow.agent.sflow.record.RawPacketHeader;
import tailflow.systemtest.support.Command;

/**
 * tshark (Debian's 4.0) decodes our datagrams and must see the same values as our decoder, field by
 * field: flow samples with their raw header, and generic interface counters. tshark 4.0 does not know
 * the host records (2000-2006), so datagrams carrying the host sample are left out here.
 */
final class TsharkCheck {
    static final String[] FIELDS = {
        "sflow_245.sequence_number",
        "sflow.flow_sample.sequence_number", "sflow.flow_sample.sampling_rate", "sflow.flow_sample.sample_pool",
        "sflow.flow_sample.dropped_packets", "sflow.flow_sample.input_interface_value",
        "sflow.flow_sample.output_interface_value", "sflow_245.header_protocol", "sflow_245.header.frame_length",
        "sflow_245.header.payload_stripped", "sflow_245.header.sampled_header_length",
        "sflow_245.ifindex", "sflow_245.ifspeed", "sflow_245.ifinoct", "sflow_245.ifinpkt", "sflow_245.ifoutoct",
        "sflow_245.ifoutpkt", "sflow_245.ifoutdisc",
    };

    private TsharkCheck() {}

    static void flowsAndCounters(Path tmp, List<byte[]> raw, int port) throws IOException {
        List<byte[]> chosen = new ArrayList<>();
        List<Datagram> ours = new ArrayList<>();
        for (byte[] b : raw) {
            Datagram d = SflowDecoder.decode(b, b.length);
            if (d.counterSamples().stream().noneMatch(c -> c.dsClass() == CounterSample.DS_HOST)) {
                chosen.add(b);
                ours.add(d);
            }
        }
        assertThat(ours).anyMatch(d -> !d.flowSamples().isEmpty()).anyMatch(d -> !d.counterSamples().isEmpty());
        Path pcap = tmp.resolve("sflow.pcap");
        PcapFile.write(pcap, chosen, port);
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-d", "udp.port==" + port + ",sflow",
                "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (String f : FIELDS) {
            cmd.add("-e");
            cmd.add(f);
        }
        String[] lines = Command.of(cmd).run().requireOk().stdout().replaceAll("\n+$", "").split("\n");
        assertThat(lines).hasSize(chosen.size());
        int flows = 0;
        int counters = 0;
        for (int i = 0; i < lines.length; i++) {
            String[] got = lines[i].split("\t", -1);
            String[] want = expected(ours.get(i));
            for (int f = 0; f < FIELDS.length; f++) {
                assertThat(got[f]).as("datagram %d field %s (tshark line: %s)", i, FIELDS[f], lines[i]).isEqualTo(want[f]);
            }
            flows += ours.get(i).flowSamples().size();
            counters += (int) ours.get(i).counterSamples().stream().filter(c -> c.dsClass() == 0).count();
        }
        System.out.printf("sflow IT: tshark agrees on %d datagrams: %d flow samples, %d interface counter samples%n",
                lines.length, flows, counters);
    }

    private static String[] expected(Datagram d) {
        List<FlowSample> fs = d.flowSamples();
        List<RawPacketHeader> hs = fs.stream().map(f -> (RawPacketHeader) f.records().get(0)).toList();
        List<GenericInterface> gi = d.counterSamples().stream().filter(c -> c.dsClass() == 0)
                .map(c -> (GenericInterface) c.records().get(0)).toList();
        return new String[] {
            Long.toString(d.sequence()),
            join(fs.stream().map(FlowSample::sequence).toList()),
            join(fs.stream().map(FlowSample::samplingRate).toList()),
            join(fs.stream().map(FlowSample::samplePool).toList()),
            join(fs.stream().map(FlowSample::drops).toList()),
            join(fs.stream().map(FlowSample::inputValue).toList()),
            join(fs.stream().map(FlowSample::outputValue).toList()),
            join(hs.stream().map(h -> (long) h.protocol()).toList()),
            join(hs.stream().map(RawPacketHeader::frameLength).toList()),
            join(hs.stream().map(RawPacketHeader::stripped).toList()),
            join(hs.stream().map(h -> (long) h.header().length).toList()),
            join(gi.stream().map(g -> (long) g.ifIndex()).toList()),
            join(gi.stream().map(GenericInterface::ifSpeed).toList()),
            join(gi.stream().map(GenericInterface::inOctets).toList()),
            join(gi.stream().map(GenericInterface::inUcastPkts).toList()),
            join(gi.stream().map(GenericInterface::outOctets).toList()),
            join(gi.stream().map(GenericInterface::outUcastPkts).toList()),
            join(gi.stream().map(GenericInterface::outDiscards).toList()),
        };
    }

    private static String join(List<Long> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
