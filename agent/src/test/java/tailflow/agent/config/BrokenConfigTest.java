package tailflow.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tailflow.agent.CliRun;

/**
 * The table of broken config files: each must make {@code agent --dry-run} exit 2 with
 * {@code agent: FILE:LINE:COLUMN: KEY: what was expected}, checked to the exact position and key.
 */
class BrokenConfigTest {
    private static final String CLIENT = "clients: [{url: http://localhost:3100/loki/api/v1/push}]\n";
    private static final String JOB = "scrape_configs:\n  - job_name: system\n"
            + "    static_configs: [{targets: [localhost], labels: {__path__: /var/log/*log}}]\n";

    @TempDir
    Path tmp;

    static Stream<Arguments> brokenYaml() {
        return Stream.of(
                Arguments.of("wrong type: port is text", "server:\n  http_listen_port: abc\n" + CLIENT,
                        "2:21: server.http_listen_port: expected a TCP port from 0 to 65535"),
                Arguments.of("wrong type: clients is a mapping", "clients: {url: http://localhost:3100/loki/api/v1/push}\n",
                        "1:10: clients: expected a list (- url: "),
                Arguments.of("wrong type: labels is a list", CLIENT + "scrape_configs:\n  - job_name: system\n"
                        + "    static_configs:\n      - targets: [localhost]\n        labels: [job, varlogs]\n",
                        "6:17: scrape_configs[0].static_configs[0].labels: expected a mapping"),
                Arguments.of("wrong type: batchwait without unit",
                        "clients:\n  - url: http://localhost:3100/loki/api/v1/push\n    batchwait: 5\n",
                        "3:16: clients[0].batchwait: expected a duration like 1s, 500ms or 5m, found '5'"),
                Arguments.of("wrong type: polling is a list", CLIENT + "sflow:\n  polling: [20]\n  collectors: [{ip: 127.0.0.1}]\n",
                        "3:12: sflow.polling: expected seconds between counter samples"),
                Arguments.of("bad indentation: the lab notes' flattened server block", "server:\nhttp_listen_port: 9080\n" + CLIENT,
                        "2:1: http_listen_port: unknown key; it belongs under server (check its indentation)"),
                Arguments.of("bad indentation: a key one space left of its siblings",
                        "clients:\n  - url: http://localhost:3100/loki/api/v1/push\n scrape_configs:\n  - job_name: x\n",
                        "3:2: scrape_configs: expected this line to be indented like the other keys of its block"),
                Arguments.of("bad indentation: a tab", "clients:\n\t- url: http://localhost:3100/loki/api/v1/push\n",
                        "2:1: url: expected spaces for indentation, found a tab"),
                Arguments.of("bad indentation: labels' keys not under labels", CLIENT + "scrape_configs:\n  - job_name: system\n"
                        + "    static_configs:\n      - targets: [localhost]\n        labels:\n        job: varlogs\n"
                        + "        __path__: /var/log/*log\n",
                        "7:9: scrape_configs[0].static_configs[0].job: unknown key; it belongs under labels:"),
                Arguments.of("missing clients", JOB, "1:1: clients: expected at least one Loki client"),
                Arguments.of("empty clients list", "clients: []\n" + JOB, "1:1: clients: expected at least one Loki client"),
                Arguments.of("client without url", "clients:\n  - tenant_id: a\n" + JOB,
                        "2:5: clients[0].url: expected the Loki push URL"),
                Arguments.of("bad URL: the lab notes' typo", "clients:\n  - url: http:monitor.node.kanai.lab:3100/lokapi/v1/push\n",
                        "2:10: clients[0].url: expected an http:// or https:// URL"),
                Arguments.of("bad URL: no scheme", "clients:\n  - url: localhost:3100/loki/api/v1/push\n",
                        "2:10: clients[0].url: expected an http:// or https:// URL"),
                Arguments.of("duplicate job names", CLIENT + JOB + "  - job_name: system\n"
                        + "    static_configs: [{targets: [localhost], labels: {__path__: /var/log/*.txt}}]\n",
                        "5:15: scrape_configs[1].job_name: expected a unique job_name, but 'system' is already used at line 3"),
                Arguments.of("duplicate key", "server:\n  http_listen_port: 1\n  http_listen_port: 2\n" + CLIENT,
                        "3:3: server.http_listen_port: expected each key once, but it is already given at line 2"),
                Arguments.of("missing __path__", CLIENT + "scrape_configs:\n  - job_name: system\n"
                        + "    static_configs:\n      - targets: [localhost]\n        labels: {job: varlogs}\n",
                        "6:9: scrape_configs[0].static_configs[0].labels.__path__: expected a __path__ label"),
                Arguments.of("bad label name", CLIENT + "scrape_configs:\n  - job_name: system\n    static_configs:\n"
                        + "      - targets: [localhost]\n        labels: {__path__: /x/*.log, 1job: x}\n",
                        "6:38: scrape_configs[0].static_configs[0].labels.1job: expected a label name"),
                Arguments.of("bad glob", CLIENT + "scrape_configs:\n  - job_name: system\n    static_configs:\n"
                        + "      - targets: [localhost]\n        labels:\n          __path__: /var/log/[abc.log\n",
                        "7:21: scrape_configs[0].static_configs[0].labels.__path__: expected a path glob"),
                Arguments.of("key nobody knows", CLIENT + "frobnicate: 1\n", "2:1: frobnicate: unknown key; expected one of"),
                Arguments.of("misspelt key", "clients:\n  - url: http://localhost:3100/loki/api/v1/push\n    batchwiat: 2s\n",
                        "3:5: clients[0].batchwiat: unknown key; did you mean batchwait?"),
                Arguments.of("bad CIDR: prefix too long", CLIENT + "sflow:\n  agent.cidr: 192.168.0.0/33\n  collectors: [{ip: 127.0.0.1}]\n",
                        "3:15: sflow.agent.cidr: expected a CIDR like 192.168.0.0/16 or fd00::/8, found '192.168.0.0/33'"),
                Arguments.of("bad CIDR: no prefix", CLIENT + "sflow:\n  agent.cidr: 10.1.2.3\n  collectors: [{ip: 127.0.0.1}]\n",
                        "3:15: sflow.agent.cidr: expected a CIDR"),
                Arguments.of("sampling 0", CLIENT + "sflow:\n  sampling: 0\n  collectors: [{ip: 127.0.0.1}]\n",
                        "3:13: sflow.sampling: expected a 1-in-N sampling rate: a whole number, 1 or more, found '0'"),
                Arguments.of("sampling negative", CLIENT + "sflow:\n  sampling: -400\n  collectors: [{ip: 127.0.0.1}]\n",
                        "3:13: sflow.sampling: expected a 1-in-N sampling rate: a whole number, 1 or more, found '-400'"),
                Arguments.of("per-pcap sampling 0", CLIENT + "sflow:\n  collectors: [{ip: 127.0.0.1}]\n  pcap: [{dev: eth0, sampling: 0}]\n",
                        "4:32: sflow.pcap[0].sampling: expected a 1-in-N sampling rate"),
                Arguments.of("sflow without collectors", CLIENT + "sflow:\n  polling: 20\n",
                        "2:1: sflow.collectors: expected at least one collector"),
                Arguments.of("bad collector port", CLIENT + "sflow:\n  collectors: [{ip: 127.0.0.1, udpport: 0}]\n",
                        "3:41: sflow.collectors[0].udpport: expected a UDP port from 1 to 65535, found '0'"),
                Arguments.of("unset env variable", "clients:\n  - url: http://${LOKI_HOST}:3100/loki/api/v1/push\n",
                        "2:17: clients[0].url: environment variable LOKI_HOST is not set"),
                Arguments.of("YAML alias", "a: &x 1\n" + CLIENT + "server: {http_listen_port: *x}\n",
                        "3:28: server.http_listen_port: expected a value, found the YAML alias *x (aliases are not supported)"),
                Arguments.of("two YAML documents", CLIENT + "---\nclients: []\n",
                        "3:1: (document): expected one YAML document, found another after '---'"),
                Arguments.of("empty file", "", "1:1: clients: expected a config with clients: and scrape_configs:"),
                Arguments.of("only comments", "# nothing here\n\n", "1:1: clients: expected a config with clients: and scrape_configs:"),
                Arguments.of("a scalar document", "hello\n", "1:1: (document): expected a mapping"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenYaml")
    void brokenYamlExits2WithPositionAndKey(String name, String content, String expected) throws Exception {
        Path file = tmp.resolve("agent.yaml");
        Files.writeString(file, content);
        CliRun r = CliRun.run(CliRun.host(Map.of(), tmp), "--dry-run", "--config", file.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("agent: " + file + ":" + expected);
        assertThat(r.out()).isEmpty();
    }

    static Stream<Arguments> brokenHsflowd() {
        return Stream.of(
                Arguments.of("sampling negative", "sflow {\n  sampling = -5\n  collector { ip=127.0.0.1 }\n}\n",
                        "2:14: sflow.sampling: expected a 1-in-N sampling rate: a whole number, 1 or more, found '-5'"),
                Arguments.of("sampling 0 by speed", "sflow {\n  sampling.1G = 0\n  collector { ip=127.0.0.1 }\n}\n",
                        "2:17: sflow.sampling.1G: expected a 1-in-N sampling rate"),
                Arguments.of("bad speed key", "sflow {\n  sampling.fast = 10\n  collector { ip=127.0.0.1 }\n}\n",
                        "2:3: sflow.sampling.fast: expected sampling.<link speed> like sampling.100M"),
                Arguments.of("bad port", "sflow {\n  collector { ip=127.0.0.1 udpport=70000 }\n}\n",
                        "2:36: sflow.collector[0].udpport: expected a UDP port from 1 to 65535, found '70000'"),
                Arguments.of("bad CIDR", "sflow {\n  agent.cidr = 10.0.0/8\n  collector { ip=127.0.0.1 }\n}\n",
                        "2:16: sflow.agent.cidr: expected a CIDR like 192.168.0.0/16 or fd00::/8, found '10.0.0/8'"),
                Arguments.of("the lab notes' placeholder collector", "sflow {\n  collector { ip=<sflow-rt> udpport=6343 }\n}\n",
                        "2:18: sflow.collector[0].ip: expected a collector address: an IP address or a host name, found '<sflow-rt>'"),
                Arguments.of("unclosed section", "sflow {\n  polling = 20\n  collector { ip=127.0.0.1 }\n",
                        "1:7: sflow: expected a '}' to close the section opened here"),
                Arguments.of("stray brace", "sflow {\n  collector { ip=127.0.0.1 }\n}\n}\n",
                        "4:1: (document): expected a setting, found '}' without a matching '{'"),
                Arguments.of("pcap with neither dev nor speed", "sflow {\n  collector { ip=127.0.0.1 }\n  pcap { sampling=10 }\n}\n",
                        "3:3: sflow.pcap[0]: expected dev=<interface> or speed=<range>"),
                Arguments.of("DNS-SD on", "sflow {\n  DNSSD = on\n  collector { ip=127.0.0.1 }\n}\n",
                        "2:11: sflow.DNSSD: expected off: DNS-SD collector discovery is not supported"),
                Arguments.of("unknown setting", "sflow {\n  pollnig = 20\n  collector { ip=127.0.0.1 }\n}\n",
                        "2:3: sflow.pollnig: unknown key; did you mean polling?"),
                Arguments.of("setting outside sflow", "polling = 20\nsflow {\n  collector { ip=127.0.0.1 }\n}\n",
                        "1:1: polling: expected every setting inside sflow { ... }"),
                Arguments.of("no collector", "sflow {\n  polling = 20\n}\n",
                        "1:1: sflow.collectors: expected at least one collector"),
                Arguments.of("key without value", "sflow {\n  collector { ip=127.0.0.1 }\n  polling =\n}\n",
                        "4:1: sflow.polling: expected a value"),
                Arguments.of("empty file", "# only a comment\n", "1:1: sflow: expected sflow { collector"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenHsflowd")
    void brokenHsflowdConfExits2WithPositionAndKey(String name, String content, String expected) throws Exception {
        Path file = tmp.resolve("hsflowd.conf");
        Files.writeString(file, content);
        CliRun r = CliRun.run(CliRun.host(Map.of(), tmp), "--dry-run", "--hsflowd-config", file.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("agent: " + file + ":" + expected);
    }

    @Test
    void binaryGarbageIsRefusedAtTheFirstBadByte() throws Exception {
        Path file = tmp.resolve("agent.yaml");
        // a PNG signature: not UTF-8 at byte 0
        Files.write(file, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
        CliRun r = CliRun.run(CliRun.host(Map.of(), tmp), "--dry-run", "--config", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("agent: " + file + ":1:1: (document): expected a text config file, found binary data (byte 0x89)");
    }

    @Test
    void aNulByteInsideTextIsBinaryAtItsLineAndColumn() throws Exception {
        Path file = tmp.resolve("agent.yaml");
        Files.write(file, (CLIENT + "ab\0cd\n").getBytes(StandardCharsets.UTF_8));
        CliRun r = CliRun.run(CliRun.host(Map.of(), tmp), "--dry-run", "--config", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("agent: " + file + ":2:3: (document): expected a text config file, found binary data (control character 0x00)");
    }

    /**
     * Tests run as root, which reads files whatever their mode, so "unreadable" is made real in
     * ways root cannot read either: a directory where the file should be, and a dangling symlink.
     */
    @Test
    void aDirectoryIsUnreadable() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("agent.yaml"));
        CliRun r = CliRun.run(CliRun.host(Map.of(), tmp), "--dry-run", "--config", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("agent: " + dir + ":1:1: --config: expected a config file, found a directory");
    }

    @Test
    void aDanglingSymlinkIsUnreadable() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("hsflowd.conf"), tmp.resolve("missing/hsflowd.conf"));
        CliRun r = CliRun.run(CliRun.host(Map.of(), tmp), "--dry-run", "--hsflowd-config", link.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("agent: " + link + ":1:1: --hsflowd-config: cannot read the file: it is a symbolic link to a missing file");
    }

    @Test
    void aMissingFileIsUnreadable() {
        Path missing = tmp.resolve("nope.yaml");
        CliRun r = CliRun.run(CliRun.host(Map.of(), tmp), "--config", missing.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("agent: " + missing + ":1:1: --config: cannot read the file: no such file");
    }

    @Test
    void everyErrorIsReportedNotOnlyTheFirst() throws Exception {
        Path file = tmp.resolve("agent.yaml");
        Files.writeString(file, "server:\n  http_listen_port: abc\nclients:\n  - url: nope\n");
        CliRun r = CliRun.run(CliRun.host(Map.of(), tmp), "--dry-run", "--config", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly(
                "agent: " + file + ":2:21: server.http_listen_port: expected a TCP port from 0 to 65535 (0 picks a free one), found 'abc'",
                "agent: " + file + ":4:10: clients[0].url: expected an http:// or https:// URL like http://localhost:3100/loki/api/v1/push, found 'nope'");
    }
}
