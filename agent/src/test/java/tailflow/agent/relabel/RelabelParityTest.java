package tailflow.agent.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tailflow.agent.pipeline.Labels;

/**
 * Prometheus v2.55 model/relabel (the version Promtail 3.4 builds with): relabel() and Go's
 * Regexp.Expand for $1, ${1}, $name, $$ and malformed references, the regex anchored as
 * "^(?:regex)$" (no (?s): '.' does not match a newline there), cases after relabel_test.go TestRelabel.
 */
class RelabelParityTest {

    private static Labels labels(String text) {
        String[] kv = text.isEmpty() ? new String[0] : text.split("[=,]");
        return Labels.of(kv);
    }

    // action | source labels | regex | target | replacement | input | expected ('-' dropped)
    @ParameterizedTest(name = "[{index}] {0} {2} -> {3}={4}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "replace|a|f(.*)|d|ch${1}-ch${1}|a=foo|a=foo,d=choo-choo",
        "replace|a,b|f(.*);(.*)r|a|b${1}${2}m|a=foo,b=bar|a=boobam,b=bar",
        "replace|a|o$|d|x|a=foo|a=foo",
        "replace|a|(?i)(FOO)|d|$1|a=foo|a=foo,d=foo",
        "replace|a|f(.*)|d|$1x|a=foo|a=foo",
        "replace|a|f(.*)|d|${1}x|a=foo|a=foo,d=oox",
        "replace|a|f(?P<rest>.*)|d|$rest|a=foo|a=foo,d=oo",
        "replace|a|f(.*)|d|$$1|a=foo|a=foo,d=$1",
        "replace|a|f(.*)|d|cost $|a=foo|a=foo,d=cost $",
        "replace|a|f(.*)|d|${1|a=foo|a=foo,d=${1",
        "replace|a|(.*)|${1}_x|v|a=foo|a=foo,foo_x=v",
        "replace|a|(.*)|$1_x|v|a=foo|a=foo",
        "replace|a|f(.*)|d|''|a=foo,d=old|a=foo",
        "replace|a|(.*)|d|$1|a=x\\ny|a=x\\ny",
        "replace|a|(?s)(.*)|d|$1|a=x\\ny|a=x\\ny,d=x\\ny",
        "replace|missing|(.*)|d|new|a=foo|a=foo,d=new",
        "replace|missing|(.+)|d|new|a=foo|a=foo",
        "lowercase|a|(.*)|d|$1|a=FoO|a=FoO,d=foo",
        "uppercase|a|(.*)|a|$1|a=FoO|a=FOO",
        "keep|a|f.*|''|$1|a=foo|a=foo",
        "keep|a|o.*|''|$1|a=foo|-",
        "drop|a,b|foo;|''|$1|a=foo|-",
        "keepequal|a|(.*)|b|$1|a=foo,b=foo|a=foo,b=foo",
        "dropequal|a|(.*)|b|$1|a=foo,b=foo|-",
        "labelmap|''|(b.*)|''|${1}_x|a=1,ba=2|a=1,ba=2,ba_x=2",
        "labelmap|''|__meta_(.+)|''|$1|__meta_app=web,x=1|__meta_app=web,app=web,x=1",
        "labeldrop|''|b.*|''|$1|a=1,ba=2,bb=3|a=1",
        "labelkeep|''|b.*|''|$1|a=1,ba=2,bb=3|ba=2,bb=3",
    })
    void relabelsAsPrometheus(String action, String sources, String regex, String target, String replacement,
            String input, String expected) {
        List<String> src = sources.isEmpty() ? List.of() : Arrays.asList(sources.split(","));
        RelabelRule rule = RelabelRule.of(src, ";", regex, 0, target, replacement, RelabelAction.parse(action).orElseThrow());
        var out = new Relabeler(List.of(rule)).apply(labels(input.replace("\\n", "\n")));
        if (expected.equals("-")) {
            assertThat(out).isEmpty();
        } else {
            assertThat(out).contains(labels(expected.replace("\\n", "\n")));
        }
    }
}
