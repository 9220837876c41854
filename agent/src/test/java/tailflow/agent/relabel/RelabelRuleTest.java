package tailflow.agent.relabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.PatternSyntaxException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Prometheus' relabel.Config.Validate cases (TestRelabelValidate, TestTargetLabelValidity). */
class RelabelRuleTest {

    private static List<String> problemKeys(RelabelRule r, Set<String> given) {
        return r.problems(given).stream().map(RelabelRule.Problem::key).toList();
    }

    private static RelabelRule replaceTo(String target) {
        return RelabelRule.of(List.of("a"), ";", "some-([^-]+)-([^,]+)", 0, target, "${1}", RelabelAction.REPLACE);
    }

    @Test
    void replaceNeedsTarget() {
        assertThat(problemKeys(RelabelRule.of(List.of(), ";", "(.*)", 0, "", "$1", RelabelAction.REPLACE), Set.of()))
                .containsExactly("target_label");
        assertThat(problemKeys(RelabelRule.of(List.of(), ";", "(.*)", 0, "", "$1", RelabelAction.LOWERCASE), Set.of()))
                .containsExactly("target_label");
    }

    @Test
    void templatedTargets() {
        assertThat(problemKeys(replaceTo("${3}"), Set.of())).isEmpty();
        assertThat(problemKeys(replaceTo("0${3}"), Set.of())).containsExactly("target_label");
        assertThat(problemKeys(replaceTo("-${3}"), Set.of())).containsExactly("target_label");
        for (String ok : List.of("label", "label${1}", "${1}label", "${1}", "$1", "asd$2asd", "_${1}_", "foo${bar}foo")) {
            assertThat(problemKeys(replaceTo(ok), Set.of())).as(ok).isEmpty();
        }
        for (String bad : List.of("-label", "${", "$", "${}", "foo${", "-foo${1}bar-")) {
            assertThat(problemKeys(replaceTo(bad), Set.of())).as(bad).containsExactly("target_label");
        }
    }

    @Test
    void lowercaseTargetCannotBeTemplated() {
        assertThat(problemKeys(RelabelRule.of(List.of(), ";", "(.*)", 0, "${3}", "$1", RelabelAction.LOWERCASE), Set.of()))
                .containsExactly("target_label");
        assertThat(problemKeys(RelabelRule.of(List.of("a"), ";", "(.*)", 0, "b", "x", RelabelAction.UPPERCASE), Set.of()))
                .containsExactly("replacement");
    }

    @Test
    void hashmodNeedsModulus() {
        assertThat(problemKeys(RelabelRule.of(List.of("a"), ";", "(.*)", 0, "b", "$1", RelabelAction.HASHMOD), Set.of()))
                .containsExactly("modulus");
    }

    @Test
    void equalActionsTakeOnlySourceAndTarget() {
        RelabelRule r = RelabelRule.of(List.of("a"), ";", "(.*)", 0, "b", "$1", RelabelAction.KEEPEQUAL);
        assertThat(problemKeys(r, Set.of("source_labels", "target_label"))).isEmpty();
        assertThat(problemKeys(r, Set.of("source_labels", "target_label", "regex"))).containsExactly("regex");
        RelabelRule sep = RelabelRule.of(List.of("a"), ",", "(.*)", 0, "b", "$1", RelabelAction.DROPEQUAL);
        assertThat(problemKeys(sep, Set.of("source_labels", "target_label", "separator"))).containsExactly("separator");
    }

    @Test
    void labeldropTakesOnlyRegex() {
        RelabelRule r = RelabelRule.of(List.of(), ";", "b.*", 0, "", "$1", RelabelAction.LABELDROP);
        assertThat(problemKeys(r, Set.of("regex"))).isEmpty();
        assertThat(problemKeys(r, Set.of("regex", "source_labels"))).containsExactly("source_labels");
        RelabelRule t = RelabelRule.of(List.of(), ";", "b.*", 0, "x", "$1", RelabelAction.LABELKEEP);
        assertThat(problemKeys(t, Set.of("regex", "target_label"))).containsExactly("target_label");
    }

    @Test
    void labelmapReplacementMustBeANameTemplate() {
        assertThat(problemKeys(RelabelRule.of(List.of(), ";", "(.*)", 0, "", "x-$1", RelabelAction.LABELMAP), Set.of()))
                .containsExactly("replacement");
    }

    @Test
    void badRegexIsASyntaxError() {
        assertThatThrownBy(() -> RelabelRule.anchored("(unclosed")).isInstanceOf(PatternSyntaxException.class);
        // RE2 has no backreferences or lookaheads, as Go
        assertThatThrownBy(() -> RelabelRule.anchored("(a)\\1")).isInstanceOf(PatternSyntaxException.class);
        assertThatThrownBy(() -> RelabelRule.anchored("a(?=b)")).isInstanceOf(PatternSyntaxException.class);
    }

    @Test
    void actionNamesAnyCase() {
        assertThat(RelabelAction.parse("Replace")).contains(RelabelAction.REPLACE);
        assertThat(RelabelAction.parse("labelmap")).contains(RelabelAction.LABELMAP);
        assertThat(RelabelAction.parse("rename")).isEmpty();
    }
}
