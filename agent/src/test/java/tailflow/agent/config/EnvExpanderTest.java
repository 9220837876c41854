package tailflow.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpanderTest {
    private final EnvExpander env = new EnvExpander(Map.of("LOKI", "loki.lab", "EMPTY", ""), () -> "machine-name");

    @Test
    void expandsBracedVariablesAndDefaults() throws Exception {
        assertThat(env.expand("http://${LOKI}:3100")).isEqualTo("http://loki.lab:3100");
        assertThat(env.expand("${MISSING:-fallback}")).isEqualTo("fallback");
        assertThat(env.expand("${EMPTY:-fallback}")).isEqualTo("fallback");
        assertThat(env.expand("${LOKI:-fallback}")).isEqualTo("loki.lab");
        assertThat(env.expand("${MISSING:-}")).isEmpty();
    }

    @Test
    void hostnameFallsBackToTheMachineButEnvWins() throws Exception {
        assertThat(env.expand("${HOSTNAME}")).isEqualTo("machine-name");
        assertThat(new EnvExpander(Map.of("HOSTNAME", "from-env"), () -> "machine").expand("${HOSTNAME}")).isEqualTo("from-env");
    }

    @Test
    void regexGroupReferencesStayAsWritten() throws Exception {
        // Promtail's template docs: {{ regexReplaceAll "(a*)bc" .Value "${1}a" }}
        assertThat(env.expand("{{ regexReplaceAll \"(a*)bc\" .Value \"${1}a\" }}"))
                .isEqualTo("{{ regexReplaceAll \"(a*)bc\" .Value \"${1}a\" }}");
        assertThat(env.expand("${12}-${LOKI}")).isEqualTo("${12}-loki.lab");
    }

    @Test
    void literalHostnameIsNotMagic() throws Exception {
        assertThat(env.expand("hostname")).isEqualTo("hostname");
    }

    @Test
    void dollarDollarIsALiteralDollarAndALoneDollarStays() throws Exception {
        assertThat(env.expand("pa$$word")).isEqualTo("pa$word");
        assertThat(env.expand("$${LOKI}")).isEqualTo("${LOKI}");
        assertThat(env.expand("pa$word $ end$")).isEqualTo("pa$word $ end$");
    }

    @Test
    void unsetVariableWithoutDefaultIsAnErrorAtItsOffset() {
        assertThatThrownBy(() -> env.expand("x ${NOPE} y"))
                .isInstanceOf(EnvExpander.ExpansionException.class)
                .hasMessageContaining("NOPE is not set")
                .satisfies(e -> assertThat(((EnvExpander.ExpansionException) e).offset()).isEqualTo(2));
    }

    @Test
    void malformedReferencesAreErrors() {
        assertThatThrownBy(() -> env.expand("${LOKI")).hasMessageContaining("expected '}'");
        assertThatThrownBy(() -> env.expand("${1X}")).hasMessageContaining("expected ${NAME}");
        assertThatThrownBy(() -> env.expand("${X:=y}")).hasMessageContaining("expected ${NAME}");
    }
}
