package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Promtail's template stage registers sprig's whole TxtFuncMap (template.go functionMap): the
 * functions beyond the string basics, with sprig v3's results (cases after sprig's own tests).
 */
class SprigParityTest {
    private final Run run = new Run();

    private Object render(String template) {
        return TemplateParityTest.render(run, template, "a,b,,c");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '~', value = {
        "{{ addf 1.5 2 2 }}~5.5",
        "{{ subf 1.5 2 2 }}~-2.5",
        "{{ mulf 1.5 2 2 }}~6",
        "{{ divf 10 4 }}~2.5",
        "{{ divf 1 3 }}~0.3333333333333333",
        "{{ add1f 1.25 }}~2.25",
        "{{ maxf 1 2.5 -3 }}~2.5",
        "{{ minf 1 2.5 -3 }}~-3",
        "{{ floor 1.7 }}~1",
        "{{ ceil 1.2 }}~2",
        "{{ round 3.746 2 }}~3.75",
        "{{ round 123.5555 3 }}~123.556",
        "{{ round 3.7451 2 0.4 }}~3.75",
        "{{ until 4 }}~[0 1 2 3]",
        "{{ untilStep 0 10 3 }}~[0 3 6 9]",
        "{{ untilStep 10 0 -4 }}~[10 6 2]",
        "{{ plural \"one anchovy\" \"many anchovies\" 1 }}~one anchovy",
        "{{ plural \"one anchovy\" \"many anchovies\" 2 }}~many anchovies",
        "{{ abbrev 5 \"hello world\" }}~he...",
        "{{ abbrev 20 \"hello world\" }}~hello world",
        "{{ initials \"First Try\" }}~FT",
        "{{ adler32sum \"Hello world!\" }}~487130206",
        "{{ $p := splitn \",\" 2 .v }}{{ $p._0 }}|{{ $p._1 }}~a|b,,c",
        "{{ regexSplit \",\" .v -1 | join \"+\" }}~a+b++c",
        "{{ regexSplit \"z*\" \"abc\" -1 | join \"+\" }}~a+b+c",
        "{{ regexSplit \",\" .v 2 | join \"+\" }}~a+b,,c",
        "{{ list 1 2 3 | rest | join \"-\" }}~2-3",
        "{{ list 1 2 3 | initial | join \"-\" }}~1-2",
        "{{ list 1 2 3 | reverse | join \"-\" }}~3-2-1",
        "{{ list 1 1 2 1 | uniq | join \"-\" }}~1-2",
        "{{ list \"a\" \"\" \"b\" | compact | join \"-\" }}~a-b",
        "{{ append (list 1 2) 3 | join \"-\" }}~1-2-3",
        "{{ prepend (list 1 2) 0 | join \"-\" }}~0-1-2",
        "{{ has 2 (list 1 2) }}~true",
        "{{ without (list 1 2 3 2) 2 | join \"-\" }}~1-3",
        "{{ list \"b\" \"c\" \"a\" | sortAlpha | join \"-\" }}~a-b-c",
        "{{ concat (list 1) (list 2 3) | join \"-\" }}~1-2-3",
        "{{ get (dict \"a\" \"x\") \"a\" }}{{ get (dict \"a\" \"x\") \"b\" }}~x",
        "{{ dict \"a\" 1 | keys | join \"-\" }}~a",
        "{{ base \"/var/log/syslog\" }} {{ ext \"/a/b.tar.gz\" }} {{ isAbs \"x/y\" }}~syslog .gz false",
        "{{ typeOf .v }} {{ kindOf (list 1) }} {{ typeIs \"string\" .v }} {{ kindIs \"map\" (dict) }}~string slice true true",
        "{{ toStrings (list 1 \"a\" true) | join \"-\" }}~1-a-true",
        "{{ trimall \"$\" \"$5.00$\" }}~5.00",
        "{{ dict \"b\" (list 1 2.5 true) \"a\" \"<x>\" | toJson }}~{\"a\":\"\\u003cx\\u003e\",\"b\":[1,2.5,true]}",
        "{{ toJson .v }}~\"a,b,,c\"",
    })
    void sprigFunctions(String template, String expected) {
        assertThat(render(template)).isEqualTo(expected);
    }
}
