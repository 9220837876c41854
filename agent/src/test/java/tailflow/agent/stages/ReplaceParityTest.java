package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The replace stage over every match as Promtail's replace.go getReplacedEntry walks
 * FindAllStringSubmatchIndex: Go's regexp.allMatches skips an empty match that abuts the previous
 * match and steps one rune after an empty match; the "previousInputEndIndex == 0" rule keeps
 * overlapping groups from being written twice.
 */
class ReplaceParityTest {
    private final Run run = new Run();

    private String replace(String expression, String template, String line) {
        Step s = run.step(ReplaceStage.Spec.of(expression, Optional.empty(), template));
        return run.one(s, Run.item(line)).line();
    }

    @ParameterizedTest(name = "{0} on {2}")
    @CsvSource(delimiter = '~', quoteCharacter = '\'', value = {
        "(a*)~<{{ .Value }}>~baaac~<>b<aaa>c<>",
        "(x*)~<{{ .Value }}>~é~<>é<>",
        "(x*)~<{{ .Value }}>~a😀b~<>a<>😀<>b<>",
        "(\\d{2}.\\d{2}.\\d{2}.\\d{2}) - (\\S+)~*~11.11.11.11 - frank 12.12.12.12 - frank~* - * * - *",
        "(?P<ip>\\d+\\.\\d+\\.\\d+\\.\\d+)~{{ .Value | ToUpper }}x~1.2.3.4 and 5.6.7.8~1.2.3.4x and 5.6.7.8x",
        "((a)b)~[{{ .Value }}]~abab~[ab][ab]",
        "(b)~''~abcb~ac",
    })
    void replacesEveryMatchAsGo(String expression, String template, String line, String expected) {
        assertThat(replace(expression, template, line)).isEqualTo(expected);
    }
}
