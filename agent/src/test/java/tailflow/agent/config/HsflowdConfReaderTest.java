package tailflow.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hsflowd.conf as hsflowd reads it: the lab's file and the rest of the syntax. */
class HsflowdConfReaderTest {
    static final Path LAB = Path.of("..", "configs", "hsflowd.conf");

    @TempDir
    Path tmp;

    private static AgentConfig load(Path file) throws ConfigException {
        return new ConfigLoader(Map.of(), () -> "h", true)
                .load(Optional.empty(), Optional.of(new ConfigLoader.Source(file, "--hsflowd-config")));
    }

    @Test
    void theLabsFile() throws Exception {
        AgentConfig c = load(LAB);
        assertThat(c.warnings()).isEmpty();
        SflowConfig s = c.sflow().orElseThrow();
        assertThat(s).isEqualTo(new SflowConfig(Optional.empty(), Optional.empty(), 20, 400, Map.of(), 128, 1400,
                java.util.List.of(new SflowConfig.Collector("127.0.0.1", 6343)),
                java.util.List.of(new SflowConfig.PcapSource(Optional.empty(),
                        Optional.of(new SflowConfig.SpeedRange(1, Long.MAX_VALUE)), Optional.empty(), false)),
                true));
        assertThat(c.clients()).isEmpty();
        assertThat(c.scrapeConfigs()).isEmpty();
    }

    @Test
    void theRestOfTheSyntax() throws Exception {
        Path f = tmp.resolve("hsflowd.conf");
        Files.writeString(f, """
                # comment
                sflow{
                  agent.cidr = 10.0.0.0/8   # trailing comment
                  agent=eth1
                  DNSSD = off
                  polling 30
                  sampling = 500
                  sampling.100M = 100
                  sampling.1G = 1000
                  sampling.10G=10000
                  headerBytes = 96
                  datagramBytes = 1200
                  collector { ip=192.0.2.10 udpport=6343 }
                  collector {
                    ip = 2001:db8::1
                    udpport = 6344
                  }
                  collector { ip=sflow-rt.lab.example }
                  pcap { dev=eth0 sampling=50 }
                  pcap { speed=1G-10G promisc=on }
                  tcp { }
                  nflog { group = 5  probability = 0.0025 }
                  docker { }
                  sampling.http = 50
                }
                """);
        AgentConfig c = load(f);
        SflowConfig s = c.sflow().orElseThrow();
        assertThat(s.agentCidr()).contains("10.0.0.0/8");
        assertThat(s.agentInterface()).contains("eth1");
        assertThat(s.pollingSeconds()).isEqualTo(30);
        assertThat(s.sampling()).isEqualTo(500);
        assertThat(s.samplingBySpeed()).isEqualTo(Map.of(100_000_000L, 100, 1_000_000_000L, 1000, 10_000_000_000L, 10000));
        assertThat(s.headerBytes()).isEqualTo(96);
        assertThat(s.datagramBytes()).isEqualTo(1200);
        assertThat(s.collectors()).containsExactly(new SflowConfig.Collector("192.0.2.10", 6343),
                new SflowConfig.Collector("2001:db8::1", 6344), new SflowConfig.Collector("sflow-rt.lab.example", 6343));
        assertThat(s.pcaps()).containsExactly(
                new SflowConfig.PcapSource(Optional.of("eth0"), Optional.empty(), Optional.of(50), false),
                new SflowConfig.PcapSource(Optional.empty(),
                        Optional.of(new SflowConfig.SpeedRange(1_000_000_000L, 10_000_000_000L)), Optional.empty(), true));
        assertThat(s.tcp()).isTrue();
        assertThat(c.warnings()).extracting(Object::toString).containsExactly(
                "not supported yet: sflow.nflog (" + f + ":22)",
                "not supported yet: sflow.docker (" + f + ":23)",
                "not supported yet: sflow.sampling.http (" + f + ":24)");
    }

    @Test
    void theSameSettingsInAgentYamlGiveTheSameConfig() throws Exception {
        SflowConfig fromConf = new ConfigLoader(Map.of(), () -> "h", true).parseHsflowd("h.conf", """
                sflow {
                  agent.cidr = 10.0.0.0/8
                  sampling.1G = 1000
                  collector { ip=192.0.2.10 udpport=6343 }
                  pcap { speed=1- }
                  tcp { }
                }
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        SflowConfig fromYaml = new ConfigLoader(Map.of(), () -> "h", true).parseYaml("a.yaml", """
                sflow:
                  agent.cidr: 10.0.0.0/8
                  sampling.1G: 1000
                  collectors: [{ip: 192.0.2.10, udpport: 6343}]
                  pcap: [{speed: 1-}]
                  tcp: true
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8)).sflow().orElseThrow();
        assertThat(fromYaml).isEqualTo(fromConf);
    }
}
