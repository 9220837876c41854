package tailflow.agent.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GlobTest {
    @Test
    void globCompilationReportsBrokenPatterns() {
        assertThatThrownBy(() -> Glob.compile("/var/log/[abc")).hasMessageContaining("column 10");
        Glob g = Glob.compile("/var/log/{syslog,messages}");
        assertThat(g.matches("/var/log/syslog")).isTrue();
        assertThat(g.matches("/var/log/messages")).isTrue();
        assertThat(g.matches("/var/log/kern")).isFalse();
        assertThat(g.baseDirectory()).isEqualTo("/var/log");
        assertThat(g.maxDepth()).isEqualTo(1);
        assertThat(Glob.compile("/var/log/*.{log,txt}").matches("/var/log/a.b.txt")).isTrue();
        assertThat(Glob.compile("/var/lo?/x").baseDirectory()).isEqualTo("/var");
    }
}
