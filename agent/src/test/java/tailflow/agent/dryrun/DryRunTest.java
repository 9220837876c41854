package tailflow.agent.dryrun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.agent.AgentMain;
import tailflow.agent.CliRun;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.ConfigLoader;

/**
 * {@code --dry-run} against real files in a temp dir and a sysfs tree written like the kernel's
 * (class/net/IF/{ifindex,type,speed,flags,operstate}), with addresses supplied per interface.
 */
class DryRunTest {
    @TempDir
    Path tmp;

    private Path sysfs() throws Exception {
        Path sys = tmp.resolve("sys");
        iface(sys, "lo", 1, 772, null, "0x9");
        iface(sys, "eth0", 2, 1, "1000", "0x1003");
        iface(sys, "eth1", 3, 1, "10000", "0x1003");
        iface(sys, "wg0", 4, 65534, null, "0x1091");
        return sys;
    }

    private static void iface(Path sys, String name, int index, int type, String speedMbps, String flags) throws Exception {
        Path d = Files.createDirectories(sys.resolve("class/net").resolve(name));
        Files.writeString(d.resolve("ifindex"), index + "\n");
        Files.writeString(d.resolve("iflink"), index + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("flags"), flags + "\n");
        Files.writeString(d.resolve("operstate"), "up\n");
        if (speedMbps != null) {
            Files.writeString(d.resolve("speed"), speedMbps + "\n");
        }
    }

    private static List<InetAddress> addresses(String ifName) {
        try {
            return switch (ifName) {
                case "lo" -> List.of(InetAddress.getByName("127.0.0.1"));
                case "eth0" -> List.of(InetAddress.getByName("10.1.2.3"));
                case "eth1" -> List.of(InetAddress.getByName("192.168.7.7"));
                default -> List.of();
            };
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private Path config() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("log"));
        Files.writeString(logs.resolve("syslog"), "a\n");
        Files.writeString(logs.resolve("auth.log"), "b\n");
        Files.writeString(logs.resolve("noisy.log"), "c\n");
        Files.writeString(logs.resolve("old.log.1.gz"), "d\n");
        Files.writeString(logs.resolve("notes.txt"), "e\n");
        Files.write(logs.resolve("lastlog"), new byte[292]); // binary: never shipped
        Path yaml = tmp.resolve("agent.yaml");
        Files.writeString(yaml, """
                clients:
                  - url: http://localhost:3100/loki/api/v1/push
                    external_labels: {cluster: lab}
                scrape_configs:
                  - job_name: system
                    static_configs:
                      - targets: [localhost]
                        labels:
                          job: varlogs
                          hostname: ${HOSTNAME}
                          __path__: LOGS/*log*
                          __path_exclude__: LOGS/noisy.log
                sflow:
                  agent.cidr: 192.168.0.0/16
                  sampling.10G: 5000
                  collectors: [{ip: 127.0.0.1, udpport: 6343}]
                  pcap:
                    - dev: eth0
                      sampling: 50
                    - speed: 1G-
                """.replace("LOGS", logs.toString()));
        return yaml;
    }

    @Test
    @SuppressWarnings("unchecked")
    void reportsFilesInterfacesRatesAgentAddressAndCollectors() throws Exception {
        Path yaml = config();
        AgentConfig c = new ConfigLoader(Map.of(), () -> "box1", true)
                .load(java.util.Optional.of(new ConfigLoader.Source(yaml, "--config")), java.util.Optional.empty());
        Map<String, Object> report = new DryRun(() -> "box1", sysfs(), DryRunTest::addresses).report(c);

        Map<String, Object> machine = (Map<String, Object>) report.get("host");
        assertThat(machine.get("hostname")).isEqualTo("box1");
        assertThat(machine.get("machine")).isIn("x86_64", "aarch64", "armv7l");

        Map<String, Object> logs = (Map<String, Object>) report.get("logs");
        Map<String, Object> job = ((List<Map<String, Object>>) logs.get("jobs")).get(0);
        assertThat((Map<String, String>) job.get("labels")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cluster", "lab", "job", "varlogs", "hostname", "box1", "filename", "<path of each file>"));
        Path dir = tmp.resolve("log");
        assertThat((List<String>) job.get("files")).containsExactly(dir.resolve("auth.log").toString(), dir.resolve("syslog").toString());
        assertThat((List<String>) job.get("excluded")).containsExactly(dir.resolve("noisy.log").toString(),
                dir.resolve("old.log.1.gz").toString());
        assertThat((List<String>) job.get("skipped")).containsExactly(dir.resolve("lastlog") + ": skipped, binary (NUL bytes)");

        Map<String, Object> sflow = (Map<String, Object>) report.get("sflow");
        assertThat(sflow.get("agent_address")).isEqualTo(Map.of("address", "192.168.7.7", "interface", "eth1",
                "why", "agent.cidr = 192.168.0.0/16"));
        assertThat(sflow.get("collectors")).isEqualTo(List.of("127.0.0.1:6343"));
        List<Map<String, Object>> sampled = (List<Map<String, Object>>) sflow.get("interfaces");
        assertThat(sampled).extracting(m -> m.get("name") + " " + m.get("speed") + " 1-in-" + m.get("sampling"))
                .containsExactly("eth0 1G 1-in-50", "eth1 10G 1-in-5000");
        assertThat((List<String>) sflow.get("not_sampled")).hasSize(2)
                .anySatisfy(s -> assertThat(s).startsWith("lo ("))
                .anySatisfy(s -> assertThat(s).startsWith("wg0 (link speed unknown"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void labelsFollowThePipelinesRulePerClient() throws Exception {
        AgentConfig c = new ConfigLoader(Map.of(), () -> "box1", true).parseYaml("a.yaml", """
                clients:
                  - url: http://a:3100/loki/api/v1/push
                    external_labels: {site: a}
                  - url: http://b:3100/loki/api/v1/push
                    external_labels: {site: b, hostname: from-client}
                scrape_configs:
                  - job_name: j
                    static_configs: [{targets: [localhost], labels: {job: x, __path__: /nonexistent/*.log}}]
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> logs = (Map<String, Object>) new DryRun(() -> "box1", tmp, DryRunTest::addresses).report(c).get("logs");
        Map<String, Object> job = ((List<Map<String, Object>>) logs.get("jobs")).get(0);
        assertThat((Map<String, Object>) job.get("labels_by_client")).isEqualTo(Map.of(
                "http://a:3100/loki/api/v1/push", Map.of("site", "a", "hostname", "box1", "job", "x", "filename", "<path of each file>"),
                "http://b:3100/loki/api/v1/push", Map.of("site", "b", "hostname", "from-client", "job", "x",
                        "filename", "<path of each file>")));
        assertThat((List<String>) job.get("files")).isEmpty();
    }

    @Test
    void theCliPrintsItAsYamlAndExitsZero() throws Exception {
        Path yaml = config();
        CliRun r = CliRun.run(new AgentMain.Host(Map.of(), () -> "box1", sysfs()), "--dry-run", "--config", yaml.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("hostname: box1", "- " + tmp.resolve("log/syslog"), "name: eth1", "sampling: 5000",
                "- 127.0.0.1:6343");
        // the whole report is one YAML document scripts can parse
        Map<?, ?> parsed = EffectiveConfig.mapper().readValue(r.out(), Map.class);
        assertThat(parsed.keySet().stream().map(Object::toString).toList()).containsExactly("config", "host", "logs", "sflow");
    }

    @Test
    void aMissingSysfsIsReportedNotFatal() throws Exception {
        Path yaml = config();
        CliRun r = CliRun.run(new AgentMain.Host(Map.of(), () -> "box1", tmp.resolve("no-sys")), "--dry-run", "--config", yaml.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("cannot list interfaces under " + tmp.resolve("no-sys/class/net"));
    }

    @Test
    void theMachineIsUnamesWord() throws Exception {
        Process p = new ProcessBuilder("uname", "-m").start();
        String uname = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor()).isZero();
        assertThat(Machine.arch()).isEqualTo(uname);
    }

    @Test
    void unameStyleArchitectures() {
        assertThat(Machine.unameArch("amd64")).isEqualTo("x86_64");
        assertThat(Machine.unameArch("aarch64")).isEqualTo("aarch64");
        assertThat(Machine.unameArch("arm")).isEqualTo("armv7l");
        assertThat(Machine.unameArch("riscv64")).isEqualTo("riscv64");
    }
}
