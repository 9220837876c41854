package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tailflow.agent.pipeline.Labels;

/** The template stage (Promtail's template_test table) and the Go template interpreter under it. */
class TemplateStageTest {
    private final Run run = new Run();

    private Map<String, Object> apply(String source, String template, Map<String, Object> extracted) {
        Step s = run.step(TemplateStage.Spec.of(source, template));
        Item i = Run.item("the line", Labels.empty(), extracted);
        s.process(i, run);
        Map<String, Object> out = new HashMap<>(i.extracted());
        return out;
    }

    // source | template | testval before ('-' absent) | testval after ('-' absent)
    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = ';', quoteCharacter = '\'', value = {
        "testval;{{ .Value | ToLower }};Value;value",
        "testval;{{ add 7 3 }};Value;10",
        "testval;{{ ToLower .Value }};Value;value",
        "testval;{{ .Value | ToLower }};-;-",
        "testval;{{ Replace .Value \" \" \"_\" -1 | ToLower }};Some Silly Value With Lots Of Spaces;some_silly_value_with_lots_of_spaces",
        "testval;{{ regexReplaceAll \"(Silly)\" .Value \"${1}foo\"  }};Some Silly Value With Lots Of Spaces;Some Sillyfoo Value With Lots Of Spaces",
        "testval;{{ regexReplaceAll \"\\\\K\" .Value \"${1}foo\"  }};Some Silly Value With Lots Of Spaces;Some Silly Value With Lots Of Spaces",
        "testval;{{ regexReplaceAll \"( |Of)\" .Value \"_\"  }};Some Silly Value With Lots Of Spaces;Some_Silly_Value_With_Lots___Spaces",
        "testval;{{ regexReplaceAllLiteral \"(Silly)\" .Value \"$1\" }};a Silly b;a $1 b",
        "testval;{{ Trim .Value \"!\" }};!!!!!WOOOOO!!!!!;WOOOOO",
        "testval;'';WOOOOO;-",
        "testval;'';-;-",
        "testval;{{ Sha2Hash .Value \"salt\" }};this is PII data;5526fd6f8ad457279cf8ff06453c6cb61bf479fa826e3b099caa6c846f9376f2",
        "testval;{{ Hash .Value \"salt\" }};this is PII data;0807ea24e992127128b38e4930f7155013786a4999c73a25910318a793847658",
        "testval;{{ if eq .Value \"WARN\" }}{{ Replace .Value \"WARN\" \"OK\" -1 }}{{ else }}{{ .Value }}{{ end }};WARN;OK",
        "testval;{{ if eq .Value \"WARN\" }}{{ Replace .Value \"WARN\" \"OK\" -1 }}{{ else }}{{ .Value }}{{ end }};ERROR;ERROR",
        "testval;{{ .Value }} appended;value;value appended",
        "testval;{{.Value}} in module {{.module}};warn for app loki;warn for app loki in module <no value>",
        "testval;{{ TrimPrefix .Value \"pre-\" | TrimSuffix \"-post\" | TrimSpace }};pre- x -post;-post",
        "testval;{{ .Value | upper | trunc 3 }};abcdef;ABC",
        "testval;{{ printf \"%05d|%-4s|%.2f|%q|%v\" 42 \"ab\" 3.14159 \"q\" true }};x;00042|ab  |3.14|\"q\"|true",
        "testval;{{ $x := .Value }}{{ with $x }}[{{ . }}]{{ end }}{{ with .nope }}no{{ else }}none{{ end }};v;[v]none",
        "testval;{{ range $i, $e := splitList \",\" .Value }}{{ if $i }}+{{ end }}{{ $e }}{{ end }};a,b,c;a+b+c",
        "testval;{{ range splitList \",\" .Value }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }};a,b,c;a",
        "testval;{{ if and (gt (len .Value) 3) (not (hasPrefix \"x\" .Value)) }}long{{ else if lt (len .Value) 2 }}short{{ else }}mid{{ end }};abcd;long",
        "testval;{{ if and (gt (len .Value) 3) (not (hasPrefix \"x\" .Value)) }}long{{ else if lt (len .Value) 2 }}short{{ else }}mid{{ end }};a;short",
        "testval;{{ or .nope \"dflt\" }} {{ default \"d\" .Value }} {{ index . \"Entry\" }};v;dflt v the line",
        "testval;a {{- \" [t] \" -}} {{ contains \"il\" .Value }} {{ hasSuffix \"ly\" .Value }};silly;a [t] true true",
        "testval;{{ /* a comment */ -}}  {{ .Entry | title }};x;The Line",
        "testval;{{ .Value | b64enc }} {{ \"aGk=\" | b64dec }} {{ .Value | sha256sum | trunc 8 }};hi;aGk= hi 8f434346",
        "testval;{{ le 2 3 }} {{ ge 2.5 2.5 }} {{ ne \"a\" \"b\" }} {{ eq 1 2 1 }};x;true true true true",
    })
    void templatesAsPromtail(String source, String template, String before, String after) {
        Map<String, Object> ex = new HashMap<>();
        if (!"-".equals(before)) {
            ex.put(source, before);
        }
        Map<String, Object> out = apply(source, template, ex);
        if ("-".equals(after)) {
            assertThat(out).doesNotContainKey(source);
        } else {
            assertThat(out).containsEntry(source, after);
        }
    }

    @Test
    void otherExtractedValuesAreSeenAsStrings() {
        Map<String, Object> ex = new HashMap<>(Map.of("level", "warn", "app", "loki", "n", 1.5));
        assertThat(apply("missing", "{{ .level }} for app {{ .app | ToUpper }} {{ .n }}", ex)).containsEntry("missing",
                "warn for app LOKI 1.5");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '\'', value = {
        "{{ .Value", "{{ if .Value }}x", "{{ end }}", "{{ nosuchfunc .Value }}", "{{ .Value | }}", "{{ \"unterminated }}",
        "{{ define \"x\" }}{{ end }}", "{{ else }}",
    })
    void badTemplatesAreConfigErrors(String template) {
        assertThatThrownBy(() -> TemplateStage.Spec.of("v", template)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("template:");
    }

    @Test
    void sourceIsRequired() {
        assertThatThrownBy(() -> TemplateStage.Spec.of("", "x")).hasMessageContaining("source value is required");
    }
}
