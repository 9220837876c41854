package tailflow.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hand-written command line: Promtail's and GNU spellings, values after a space or '=', mistakes named. */
class AgentArgsTest {

    @Test
    void promtailAndGnuSpellingsWithValuesAfterASpaceOrEquals() throws Exception {
        AgentArgs a = AgentArgs.parse("-config.file", "/etc/p.yaml", "-dry-run", "-print-config-stderr");
        assertThat(a.config()).contains(Path.of("/etc/p.yaml"));
        assertThat(a.dryRun()).isTrue();
        assertThat(a.printConfigStderr()).isTrue();
        assertThat(a.expandEnv()).isTrue();
        AgentArgs b = AgentArgs.parse("--config=/a=b.yaml", "--hsflowd-config", "/etc/hsflowd.conf", "--stdout",
                "--sample-lines=s.log", "--config.expand-env=false");
        assertThat(b).isEqualTo(new AgentArgs(Optional.of(Path.of("/a=b.yaml")), Optional.of(Path.of("/etc/hsflowd.conf")),
                false, false, Optional.of(Path.of("s.log")), false, true, false, false));
        assertThat(AgentArgs.parse("--config.file", "c.yaml", "-config.expand-env").expandEnv()).isTrue();
        assertThat(AgentArgs.parse("-config.expand-env", "false", "--config", "c.yaml").expandEnv()).isFalse();
        assertThat(AgentArgs.parse("-h").help()).isTrue();
        assertThat(AgentArgs.parse("--version").version()).isTrue();
        assertThat(AgentArgs.parse()).isEqualTo(new AgentArgs(Optional.empty(), Optional.empty(), true, false,
                Optional.empty(), false, false, false, false));
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> AgentArgs.parse("--no-such-flag")).hasMessage("unknown option: --no-such-flag");
        assertThatThrownBy(() -> AgentArgs.parse("agent.yaml")).hasMessageContaining("unexpected argument: agent.yaml");
        assertThatThrownBy(() -> AgentArgs.parse("--config")).hasMessage("--config needs a FILE");
        assertThatThrownBy(() -> AgentArgs.parse("--config=")).hasMessage("--config needs a FILE");
        assertThatThrownBy(() -> AgentArgs.parse("--config", "a", "-config.file", "b")).hasMessage("-config.file is given twice");
        assertThatThrownBy(() -> AgentArgs.parse("-config.expand-env=maybe")).hasMessageContaining("takes true or false");
        assertThatThrownBy(() -> AgentArgs.parse("--dry-run=yes")).hasMessage("--dry-run takes no value");
    }

    @Test
    void usageErrorsExitTwoAndHelpNamesEveryOption() {
        CliRun r = CliRun.run(CliRun.host(java.util.Map.of(), Path.of("/sys")), "--bogus");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("agent: unknown option: --bogus; see agent --help\n");
        String help = CliRun.run(CliRun.host(java.util.Map.of(), Path.of("/sys")), "--help").out();
        assertThat(help).contains("--config, -config.file, --config.file FILE", "--hsflowd-config FILE",
                "-config.expand-env, --config.expand-env[=BOOL]", "-dry-run, --dry-run", "--sample-lines FILE",
                "-print-config-stderr, --print-config-stderr", "--stdout", "-h, --help", "-V, --version");
    }
}
