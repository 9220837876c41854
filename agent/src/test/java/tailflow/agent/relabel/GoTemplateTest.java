package tailflow.agent.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

/** Go's regexp.Expand rules, case by case. */
class GoTemplateTest {

    private static String expand(String regex, String input, String template) {
        Pattern p = RelabelRule.anchored(regex);
        Matcher m = p.matcher(input);
        assertThat(m.matches()).as("test input matches").isTrue();
        return GoTemplate.expand(template, m, p.namedGroups());
    }

    @Test
    void numberedAndNamedReferences() {
        assertThat(expand("(a)(b)", "ab", "$2$1")).isEqualTo("ba");
        assertThat(expand("(a)(b)", "ab", "${2}x${1}")).isEqualTo("bxa");
        assertThat(expand("(?P<first>a)(b)", "ab", "${first}-$first")).isEqualTo("a-a");
        assertThat(expand("(a)", "a", "$0")).isEqualTo("a");
    }

    @Test
    void nameIsTheLongestRun() {
        // $1x is the group named "1x", which does not exist: nothing, as in Go
        assertThat(expand("(a)", "a", "$1x")).isEqualTo("");
        assertThat(expand("(a)", "a", "${1}x")).isEqualTo("ax");
    }

    @Test
    void dollarsAndMalformedReferences() {
        assertThat(expand("(a)", "a", "$$1")).isEqualTo("$1");
        assertThat(expand("(a)", "a", "cost: $")).isEqualTo("cost: $");
        assertThat(expand("(a)", "a", "${1")).isEqualTo("${1");
        assertThat(expand("(a)", "a", "$-")).isEqualTo("$-");
        assertThat(expand("(a)", "a", "${}")).isEqualTo("${}");
    }

    @Test
    void missingOrNonParticipatingGroupsAreEmpty() {
        assertThat(expand("(a)|(b)", "a", "[$2]")).isEqualTo("[]");
        assertThat(expand("(a)", "a", "[$9]")).isEqualTo("[]");
        assertThat(expand("(a)", "a", "[${01}]")).isEqualTo("[]");
    }
}
