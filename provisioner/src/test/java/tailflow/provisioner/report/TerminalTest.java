package tailflow.provisioner.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalTest {

    @Test
    void aTerminalWithATermGetsTheLiveViewInColour() {
        Terminal t = Terminal.detect(Map.of("TERM", "xterm-256color"), true, () -> 132);
        assertThat(t.live()).isTrue();
        assertThat(t.color()).isTrue();
        assertThat(t.width().getAsInt()).isEqualTo(132);
    }

    @Test
    void pipesDumbTerminalsAndAMissingTermArePlain() {
        assertThat(Terminal.detect(Map.of("TERM", "xterm"), false, () -> 80).live()).isFalse();
        assertThat(Terminal.detect(Map.of("TERM", "dumb"), true, () -> 80).live()).isFalse();
        assertThat(Terminal.detect(Map.of(), true, () -> 80).live()).isFalse();
    }

    @Test
    void noColorKeepsTheViewButDropsTheColour() {
        Terminal t = Terminal.detect(Map.of("TERM", "xterm", "NO_COLOR", "1"), true, () -> 80);
        assertThat(t.live()).isTrue();
        assertThat(t.color()).isFalse();
        assertThat(Terminal.detect(Map.of("TERM", "xterm", "NO_COLOR", ""), true, () -> 80).color())
                .as("an empty NO_COLOR does not count (no-color.org)").isTrue();
    }

    @Test
    void whenTheWidthCannotBeAskedColumnsOr80IsUsed() {
        assertThat(Terminal.detect(Map.of("TERM", "xterm", "COLUMNS", "101"), true, () -> 0).width().getAsInt()).isEqualTo(101);
        assertThat(Terminal.detect(Map.of("TERM", "xterm", "COLUMNS", "wide"), true, () -> 0).width().getAsInt()).isEqualTo(80);
        assertThat(Terminal.detect(Map.of("TERM", "xterm"), true, () -> 0).width().getAsInt()).isEqualTo(80);
    }
}
