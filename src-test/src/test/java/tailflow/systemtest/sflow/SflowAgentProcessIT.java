package tailflow.systemtest.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.agent.sflow.SflowDecoder.Datagram;
import tailflow.agent.sflow.record.CounterSample;
import tailflow.agent.sflow.record.FlowSample;
import tailflow.systemtest.logs.AgentProcess;
import tailflow.systemtest.support.UdpCollector;
import tailflow.systemtest.support.FreePort;
import tailflow.systemtest.support.Wait;
import tailflow.systemtest.support.Machine;
import tailflow.systemtest.support.Need;

/**
 * The packaged agent as a real process (packaging/bin/agent) with an hsflowd.conf: it samples a veth
 * pair into a test namespace in the kernel, says so on /metrics, sends flow and counter samples (host
 * sample included) that our decoder and tshark read, survives a collector name that does not resolve,
 * and exits 0 on SIGTERM.
 */
class SflowAgentProcessIT {

    @Test
    void packagedAgentWithHsflowdConf(@TempDir Path dir) throws Exception {
        Machine.require(Need.ROOT, Need.IPROUTE, Need.SOCAT, Need.TSHARK);
        try (VethNamespace net = new VethNamespace(); UdpCollector receiver = UdpCollector.onLoopback()) {
            net.spawnInNs("socat", "-u", "UDP4-RECV:9000", "GOPEN:/dev/null");
            Wait.upTo(Duration.ofSeconds(10), "socat in the namespace").until(() -> net.inNs("ss", "-lnu").contains(":9000"));
            Path conf = dir.resolve("hsflowd.conf");
            Files.writeString(conf, """
                    sflow {
                      agent = %s
                      DNSSD = off
                      polling = 1
                      sampling = 400
                      collector { ip=127.0.0.1 udpport=%d }
                      collector { ip=no-such-collector.invalid udpport=6343 }
                      pcap { dev=%s sampling=10 }
                      tcp { }
                    }
                    """.formatted(net.hostIf, receiver.port(), net.hostIf));
            int http = FreePort.pick();
            Path yaml = dir.resolve("agent.yaml");
            Files.writeString(yaml, """
                    server:
                      http_listen_address: 127.0.0.1
                      http_listen_port: %d
                    positions:
                      filename: %s
                    clients:
                      - url: http://127.0.0.1:9/loki/api/v1/push
                    scrape_configs: []
                    """.formatted(http, dir.resolve("positions.yaml")));
            int ifIndex = net.hostIfIndex();
            try (AgentProcess agent = new AgentProcess(yaml, dir.resolve("agent.log"), http, "--hsflowd-config",
                    conf.toString())) {
                agent.start();
                agent.awaitReady(Duration.ofSeconds(30));
                agent.await(Duration.ofSeconds(15), "kernel sampling on /metrics", () -> metrics(agent).contains(
                        "tailflow_sflow_sampling_mode{interface=\"" + net.hostIf + "\",mode=\"kernel\"} 1"));
                long before = net.hostPackets();
                long samplesBefore = flows(receiver, ifIndex);
                try (DatagramSocket udp = new DatagramSocket()) {
                    byte[] payload = new byte[64];
                    InetSocketAddress to = new InetSocketAddress(net.nsAddress(), 9000);
                    for (int i = 0; i < 3000; i++) {
                        udp.send(new DatagramPacket(payload, payload.length, to));
                        if (i % 200 == 199) {
                            LockSupport.parkNanos(2_000_000); // pacing
                        }
                    }
                }
                long after = net.hostPackets();
                agent.await(Duration.ofSeconds(10), "the samples of the traffic", () -> flows(receiver, ifIndex)
                        - samplesBefore >= (after - before) / 10 * 7 / 10);
                agent.await(Duration.ofSeconds(10), "host and interface counters", () -> {
                    List<CounterSample> c = SflowLiveIT.decoded(receiver).stream().flatMap(d -> d.counterSamples().stream()).toList();
                    return c.stream().anyMatch(s -> s.dsClass() == 2 && s.records().size() == 6)
                            && c.stream().anyMatch(s -> s.dsClass() == 0 && s.dsIndex() == ifIndex);
                });
                assertThat(SflowLiveIT.decoded(receiver)).allSatisfy(d -> assertThat(d.agent().getHostAddress())
                        .as("agent = %s", net.hostIf).isEqualTo(net.hostV4()));
                assertThat(agent.tail()).contains("no-such-collector.invalid").contains("does not resolve");
                TsharkCheck.flowsAndCounters(dir, receiver.datagrams(), receiver.port());
                assertThat(agent.terminate(Duration.ofSeconds(30))).as("exit code after SIGTERM").isZero();
            }
        }
    }

    private static long flows(UdpCollector r, int ifIndex) {
        return SflowLiveIT.decoded(r).stream().map(Datagram::flowSamples).flatMap(List::stream)
                .filter(f -> f.dsIndex() == ifIndex).map(FlowSample::sequence).count();
    }

    private static String metrics(AgentProcess agent) {
        try {
            return agent.get("/metrics").body();
        } catch (Exception e) {
            return "";
        }
    }
}
