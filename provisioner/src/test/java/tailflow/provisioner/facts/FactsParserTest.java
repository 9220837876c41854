package tailflow.provisioner.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FactsParserTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static final String OUTPUT = String.join("\n",
            FactsParser.BEGIN,
            "arch=aarch64",
            "hostname=pi4",
            "os_id=debian", "os_version=12", "os_like=",
            "java=17.0.9",
            "libpcap=yes",
            "pkg=apt-get",
            "current=0.1.0-aaa",
            "releases=0.0.9-zzz 0.1.0-aaa ",
            "file:lib/agent.jar=abc123",
            "file:bin/agent=def456",
            "config=" + b64("server:\n  http_listen_port: 9080\nweird: a=b\n"),
            "config_mode=640 root tailflow",
            "unit=-",
            "dropin=-",
            "user=yes",
            "user_groups=tailflow adm systemd-journal",
            "unit_ActiveState=active",
            "unit_ActiveEnterTimestamp=Sun 2026-11-29 23:00:00 UTC",
            "a line without an equals sign",
            FactsParser.END, "");

    @Test
    void everyFactIsRead() {
        HostFacts f = FactsParser.parse(OUTPUT);
        assertThat(f.arch()).isEqualTo("aarch64");
        assertThat(f.javaMajor()).contains(17);
        assertThat(f.libpcap()).isTrue();
        assertThat(f.currentRelease()).contains("0.1.0-aaa");
        assertThat(f.releases()).containsExactly("0.0.9-zzz", "0.1.0-aaa");
        assertThat(f.wantedFiles()).containsEntry("lib/agent.jar", "abc123").containsEntry("bin/agent", "def456").hasSize(2);
        assertThat(f.config()).contains("server:\n  http_listen_port: 9080\nweird: a=b\n");
        assertThat(f.unit()).isEmpty();
        assertThat(f.userGroups()).containsExactly("tailflow", "adm", "systemd-journal");
        assertThat(f.unit("ActiveEnterTimestamp")).isEqualTo("Sun 2026-11-29 23:00:00 UTC");
        assertThat(f.unitActive()).isTrue();
    }

    @Test
    void aHostWithNothingInstalled() {
        HostFacts f = FactsParser.parse(FactsParser.BEGIN + "\narch=x86_64\njava=\ncurrent=\nreleases=\nuser=no\n" + FactsParser.END + "\n");
        assertThat(f.javaMajor()).isEmpty();
        assertThat(f.javaDescription()).isEqualTo("none");
        assertThat(f.currentRelease()).isEmpty();
        assertThat(f.releases()).isEmpty();
        assertThat(f.userExists()).isFalse();
        assertThat(f.userGroups()).isEmpty();
        assertThat(f.config()).isEqualTo(Optional.empty());
    }

    @Test
    void outputCutShortIsRefused() {
        assertThatThrownBy(() -> FactsParser.parse(FactsParser.BEGIN + "\narch=x86_64\n")).hasMessageContaining("incomplete");
        assertThatThrownBy(() -> FactsParser.parse("arch=x86_64\n" + FactsParser.END)).hasMessageContaining("incomplete");
    }

    @Test
    void javaVersionsOfEveryEra() {
        assertThat(FactsParser.javaMajor("1.8.0_392")).contains(8);
        assertThat(FactsParser.javaMajor("21")).contains(21);
        assertThat(FactsParser.javaMajor("17.0.9+9")).contains(17);
        assertThat(FactsParser.javaMajor("banana")).isEmpty();
    }

    @Test
    void keyValueLinesSplitAtTheFirstEqualsSign() {
        assertThat(KeyValueLines.parse("a=1\nb = 2 \nc=x=y\nnoise\n=novalue\na=3\n"))
                .containsExactly(java.util.Map.entry("a", "3"), java.util.Map.entry("b ", "2"), java.util.Map.entry("c", "x=y"));
    }
}
