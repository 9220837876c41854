package tailflow.agent.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tailflow.agent.pipeline.Labels;

/** The cases of Prometheus' model/relabel/relabel_test.go (TestRelabel), with their expected outputs. */
class RelabelerTest {

    /** A rule with Prometheus' defaults for whatever is not given. */
    private static final class R {
        List<String> source = List.of();
        String separator = ";";
        String regex = "(.*)";
        long modulus;
        String target = "";
        String replacement = "$1";
        RelabelAction action = RelabelAction.REPLACE;

        R source(String... s) {
            source = Arrays.asList(s);
            return this;
        }

        R regex(String r) {
            regex = r;
            return this;
        }

        R target(String t) {
            target = t;
            return this;
        }

        R replacement(String r) {
            replacement = r;
            return this;
        }

        R action(RelabelAction a) {
            action = a;
            return this;
        }

        R modulus(long m) {
            modulus = m;
            return this;
        }

        RelabelRule build() {
            RelabelRule rule = RelabelRule.of(source, separator, regex, modulus, target, replacement, action);
            assertThat(rule.problems(Set.of("source_labels", "regex"))
                    .stream().filter(p -> !p.key().equals("regex") && !p.key().equals("source_labels")).toList())
                    .as("rule valid").isEmpty();
            return rule;
        }
    }

    private static R r() {
        return new R();
    }

    private static Optional<Labels> run(Labels in, R... rules) {
        return new Relabeler(Arrays.stream(rules).map(R::build).toList()).apply(in);
    }

    @Test
    void replaceWithBracedReference() {
        assertThat(run(Labels.of("a", "foo", "b", "bar", "c", "baz"),
                r().source("a").regex("f(.*)").target("d").replacement("ch${1}-ch${1}")))
                .contains(Labels.of("a", "foo", "b", "bar", "c", "baz", "d", "choo-choo"));
    }

    @Test
    void replaceChainsAndJoinsSourcesWithSeparator() {
        assertThat(run(Labels.of("a", "foo", "b", "bar", "c", "baz"),
                r().source("a", "b").regex("f(.*);(.*)r").target("a").replacement("b${1}${2}m"),
                r().source("c", "a").regex("(b).*b(.*)ba(.*)").target("d").replacement("$1$2$2$3")))
                .contains(Labels.of("a", "boobam", "b", "bar", "c", "baz", "d", "boooom"));
    }

    @Test
    void dropStopsTheChain() {
        assertThat(run(Labels.of("a", "foo"),
                r().source("a").regex(".*o.*").action(RelabelAction.DROP),
                r().source("a").regex("f(.*)").target("d").replacement("ch$1-ch$1"))).isEmpty();
        assertThat(run(Labels.of("a", "foo", "b", "bar"), r().source("a").regex(".*o.*").action(RelabelAction.DROP)))
                .isEmpty();
    }

    @Test
    void replaceWithUnbracedReference() {
        assertThat(run(Labels.of("a", "abc"), r().source("a").regex(".*(b).*").target("d").replacement("$1")))
                .contains(Labels.of("a", "abc", "d", "b"));
    }

    @Test
    void regexIsAnchored() {
        assertThat(run(Labels.of("a", "foo"), r().source("a").regex("no-match").action(RelabelAction.DROP)))
                .contains(Labels.of("a", "foo"));
        assertThat(run(Labels.of("a", "foo"), r().source("a").regex("f|o").action(RelabelAction.DROP)))
                .contains(Labels.of("a", "foo"));
        assertThat(run(Labels.of("a", "foo"), r().source("a").regex("no-match").action(RelabelAction.KEEP))).isEmpty();
        assertThat(run(Labels.of("a", "foo"), r().source("a").regex("f.*").action(RelabelAction.KEEP)))
                .contains(Labels.of("a", "foo"));
    }

    @Test
    void noReplacementWithoutMatch() {
        assertThat(run(Labels.of("a", "boo"), r().source("a").regex("f").target("b").replacement("bar")))
                .contains(Labels.of("a", "boo"));
    }

    @Test
    void hashmodIsMd5BasedAsPrometheus() {
        assertThat(run(Labels.of("a", "foo", "b", "bar", "c", "baz"),
                r().source("c").target("d").action(RelabelAction.HASHMOD).modulus(1000)))
                .contains(Labels.of("a", "foo", "b", "bar", "c", "baz", "d", "976"));
        assertThat(run(Labels.of("a", "foo\nbar"), r().source("a").target("b").action(RelabelAction.HASHMOD).modulus(1000)))
                .contains(Labels.of("a", "foo\nbar", "b", "734"));
    }

    @Test
    void hashmodModulusIsUnsigned() {
        // 2^64-1 as Go's uint64: the remainder is the unsigned last 8 bytes themselves (or 0 if equal)
        long r = Relabeler.hashMod("baz", -1L);
        assertThat(Long.remainderUnsigned(r, 1000)).isEqualTo(976);
    }

    @Test
    void labelmapCopiesMatchingNames() {
        assertThat(run(Labels.of("a", "foo", "b1", "bar", "b2", "baz"),
                r().regex("(b.*)").replacement("bar_${1}").action(RelabelAction.LABELMAP)))
                .contains(Labels.of("a", "foo", "b1", "bar", "b2", "baz", "bar_b1", "bar", "bar_b2", "baz"));
        assertThat(run(Labels.of("a", "foo", "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "ccc"),
                r().regex("__meta_(my.*)").replacement("${1}").action(RelabelAction.LABELMAP)))
                .contains(Labels.of("a", "foo", "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "ccc",
                        "my_bar", "aaa", "my_baz", "bbb"));
    }

    @Test
    void templatedTargetLabel() {
        assertThat(run(Labels.of("a", "some-name-value"),
                r().source("a").regex("some-([^-]+)-([^,]+)").replacement("${2}").target("${1}")))
                .contains(Labels.of("a", "some-name-value", "name", "value"));
    }

    @Test
    void emptyReplacementRemovesNothingNew() {
        assertThat(run(Labels.of("a", "some-name-value"),
                r().source("a").regex("some-([^-]+)-([^,]+)").replacement("${3}").target("${1}")))
                .contains(Labels.of("a", "some-name-value"));
    }

    @Test
    void invalidExpandedTargetIsSkipped() {
        assertThat(run(Labels.of("a", "some-name-0"),
                r().source("a").regex("some-([^-]+)-([^,]+)").replacement("${1}").target("${3}"),
                r().source("a").regex("some-([^-]+)-([^,]+)").replacement("${1}").target("${3}"),
                r().source("a").regex("some-([^-]+)(-[^,]+)").replacement("${1}").target("${3}")))
                .contains(Labels.of("a", "some-name-0"));
    }

    @Test
    void realLifeTags() {
        assertThat(run(Labels.of("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar"),
                r().source("__meta_sd_tags").regex("(?:.+,|^)path:(/[^,]+).*").replacement("${1}").target("__metrics_path__"),
                r().source("__meta_sd_tags").regex("(?:.+,|^)job:([^,]+).*").replacement("${1}").target("job"),
                r().source("__meta_sd_tags").regex("(?:.+,|^)label:([^=]+)=([^,]+).*").replacement("${2}").target("${1}")))
                .contains(Labels.of("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar",
                        "__metrics_path__", "/secret", "job", "some-job", "foo", "bar"));
    }

    @Test
    void labeldropThenReplaceThenKeep() {
        assertThat(run(Labels.of("__meta_kubernetes_pod_container_port_name", "foo",
                        "__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091"),
                r().regex("^__meta_kubernetes_pod_container_port_name$").action(RelabelAction.LABELDROP),
                r().source("__meta_kubernetes_pod_annotation_XXX_metrics_port").regex("(.+)").replacement("metrics")
                        .target("__meta_kubernetes_pod_container_port_name"),
                r().source("__meta_kubernetes_pod_container_port_name").regex("^metrics$").action(RelabelAction.KEEP)))
                .contains(Labels.of("__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091",
                        "__meta_kubernetes_pod_container_port_name", "metrics"));
    }

    @Test
    void labelkeepAndLabeldrop() {
        assertThat(run(Labels.of("a", "foo", "b1", "bar", "b2", "baz"), r().regex("(b.*)").action(RelabelAction.LABELKEEP)))
                .contains(Labels.of("b1", "bar", "b2", "baz"));
        assertThat(run(Labels.of("a", "foo", "b1", "bar", "b2", "baz"), r().regex("(b.*)").action(RelabelAction.LABELDROP)))
                .contains(Labels.of("a", "foo"));
    }

    @Test
    void upperAndLowerCase() {
        assertThat(run(Labels.of("foo", "bAr123Foo"),
                r().source("foo").action(RelabelAction.UPPERCASE).target("foo_uppercase"),
                r().source("foo").action(RelabelAction.LOWERCASE).target("foo_lowercase")))
                .contains(Labels.of("foo", "bAr123Foo", "foo_lowercase", "bar123foo", "foo_uppercase", "BAR123FOO"));
    }

    @Test
    void keepequalAndDropequal() {
        Labels in = Labels.of("__tmp_port", "1234", "__port1", "1234", "__port2", "5678");
        assertThat(run(in, r().source("__tmp_port").action(RelabelAction.KEEPEQUAL).target("__port1"))).contains(in);
        assertThat(run(in, r().source("__tmp_port").action(RelabelAction.DROPEQUAL).target("__port1"))).isEmpty();
        assertThat(run(in, r().source("__tmp_port").action(RelabelAction.DROPEQUAL).target("__port2"))).contains(in);
        assertThat(run(in, r().source("__tmp_port").action(RelabelAction.KEEPEQUAL).target("__port2"))).isEmpty();
    }

    @Test
    void missingSourceLabelIsEmptyAndEmptyResultRemovesTarget() {
        assertThat(run(Labels.of("a", "x", "unit", "old"), r().source("nope").target("unit")))
                .contains(Labels.of("a", "x"));
    }

    @Test
    void journalExampleCopiesUnit() {
        assertThat(run(Labels.of("__journal__systemd_unit", "ssh.service", "job", "systemd-journal"),
                r().source("__journal__systemd_unit").target("unit")).map(Labels::withoutInternal))
                .contains(Labels.of("job", "systemd-journal", "unit", "ssh.service"));
    }
}
