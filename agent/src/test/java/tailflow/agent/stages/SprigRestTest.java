package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rest of sprig v3.3.0's TxtFuncMap that Promtail's template stage registers: word case
 * (xstrings v1.5.0), wrap/abbrevboth (goutils), JSON, dicts, lists, must forms, seq, semver
 * (Masterminds/semver v3.3.1), URLs, paths, encodings; random functions exist and behave sanely.
 */
class SprigRestTest {
    private final Run run = new Run();

    private Object render(String template) {
        return TemplateParityTest.render(run, template, "{\"a\":{\"b\":[1,\"x\"]},\"c\":true}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '~', value = {
        "{{ snakecase \"FirstName\" }}~first_name",
        "{{ snakecase \"HTTPServer\" }}~http_server",
        "{{ snakecase \"NoHTTPS\" }}~no_https",
        "{{ snakecase \"GO_PATH\" }}|{{ snakecase \"GO PATH\" }}|{{ snakecase \"GO-PATH\" }}~go_path|go_path|go_path",
        "{{ snakecase \"http2xx\" }}~http_2xx",
        "{{ snakecase \"HTTP20xOK\" }}~http_20x_ok",
        "{{ snakecase \"Duration2m3s\" }}~duration_2m3s",
        "{{ snakecase \"Bld4Floor3rd\" }}~bld4_floor_3rd",
        "{{ kebabcase \"FirstName\" }}~first-name",
        "{{ camelcase \"http_server\" }}~HttpServer",
        "{{ camelcase \"_camel_case\" }}~_CamelCase",
        "{{ camelcase \"no_https\" }}~NoHttps",
        "{{ camelcase \"_complex__case_\" }}~_Complex_Case_",
        "{{ swapcase \"This Is A.Test\" }}~tHIS iS a.tEST",
        "{{ untitle \"Hello World\" }}~hello world",
        "{{ wrap 5 \"Hello World\" }}~'Hello\nWorld'",
        "{{ wrapWith 5 \"\t\" \"Hello World\" }}~'Hello\tWorld'",
        "{{ wrapWith 3 \"|\" \"abcdefg\" }}~abc|def|g",
        "{{ abbrevboth 5 10 \"1234 5678 9123\" }}~...5678...",
        "{{ b32enc \"Hello\" }} {{ b32dec \"JBSWY3DP\" }}~JBSWY3DP Hello",
        "{{ sha512sum \"Hello world!\" }}~f6cde2a0f819314cdde55fc227d8d7dae3d28cc556222a0a8ad66d91ccad4aad6094f517a2182360c9aacf6a3dc323162cb6fd8cdffedb0fe038f55e85ffb5b6",
        "{{ hello }} {{ toDecimal \"0777\" }} {{ toDecimal \"9\" }}~Hello! 511 0",
        "{{ seq 5 }}|{{ seq -3 }}|{{ seq 0 2 }}|{{ seq 2 -2 }}~1 2 3 4 5|1 0 -1 -2 -3|0 1 2|2 1 0 -1 -2",
        "{{ seq 0 2 10 }}|{{ seq 0 -2 -5 }}|{{ seq 0 2 -5 }}~0 2 4 6 8 10|0 -2 -4|",
        "{{ (fromJson .v).a.b | toJson }}~[1,\"x\"]",
        "{{ index (fromJson .v).a.b 0 }} {{ (fromJson .v).c }}~1 true",
        "{{ dict \"a\" 1 \"b\" (list 2) | toPrettyJson }}~'{\n  \"a\": 1,\n  \"b\": [\n    2\n  ]\n}'",
        "{{ toRawJson \"<x>\" }} {{ mustToJson \"<x>\" }}~\"<x>\" \"\\u003cx\\u003e\"",
        "{{ $d := dict \"a\" 1 }}{{ $_ := set $d \"b\" 2 }}{{ $d | toJson }}~{\"a\":1,\"b\":2}",
        "{{ unset (dict \"a\" 1 \"b\" 2) \"a\" | toJson }}~{\"b\":2}",
        "{{ pick (dict \"a\" 1 \"b\" 2 \"c\" 3) \"a\" \"c\" | toJson }}|{{ omit (dict \"a\" 1 \"b\" 2) \"a\" | toJson }}~{\"a\":1,\"c\":3}|{\"b\":2}",
        "{{ merge (dict \"a\" 1) (dict \"a\" 2 \"b\" 3) | toJson }}|{{ mergeOverwrite (dict \"a\" 1) (dict \"a\" 2) | toJson }}~{\"a\":1,\"b\":3}|{\"a\":2}",
        "{{ dig \"a\" \"b\" \"none\" (dict \"a\" (dict \"b\" \"deep\")) }} {{ dig \"a\" \"x\" \"none\" (dict \"a\" (dict)) }}~deep none",
        "{{ pluck \"a\" (dict \"a\" 1) (dict \"b\" 2) (dict \"a\" 3) | toJson }}~[1,3]",
        "{{ tuple 1 \"a\" | toJson }}|{{ chunk 2 (list 1 2 3) | toJson }}|{{ slice (list 1 2 3 4) 1 3 | toJson }}~[1,\"a\"]|[[1,2],[3]]|[2,3]",
        "{{ all 1 \"a\" true }} {{ all 1 \"\" }} {{ any 0 \"\" \"x\" }} {{ any 0 false }}~true false true false",
        "{{ mustFirst (list 7 8) }} {{ mustLast (list 7 8) }} {{ mustRegexFind \"[0-9]+\" \"ab12cd\" }}~7 8 12",
        "{{ deepEqual (list 1 2) (list 1 2) }} {{ typeIsLike \"string\" \"x\" }}~true true",
        "{{ semverCompare \"^1.2.0\" \"1.2.3\" }} {{ semverCompare \">=1.0, <2\" \"1.5.0\" }}~true true",
        "{{ semverCompare \"1.2.x\" \"1.2.9\" }} {{ semverCompare \"1.x\" \"2.0.0\" }} {{ semverCompare \"^0.2.3\" \"0.3.0\" }}~true false false",
        "{{ semverCompare \">1.0\" \"1.0.1-beta\" }} {{ semverCompare \">1.0.0-alpha\" \"1.0.1-beta\" }}~false true",
        "{{ semverCompare \"1.0 - 2.0\" \"1.5.0\" }} {{ semverCompare \"<1.0 || >=2.0\" \"1.5.0\" }} {{ semverCompare \"*\" \"3.1.4\" }}~true false true",
        "{{ (semver \"1.2.3-beta.1+b7\").Major }}.{{ (semver \"1.2.3-beta.1+b7\").Prerelease }} {{ semver \"v1.2\" }}~1.beta.1 1.2.0",
        "{{ (urlParse \"https://u@example.com:8443/p/q?x=1#top\").hostname }} {{ (urlParse \"https://u@example.com:8443/p/q?x=1#top\").host }}~example.com example.com:8443",
        "{{ urlJoin (dict \"scheme\" \"https\" \"host\" \"h:1\" \"path\" \"/a\" \"query\" \"x=1\") }}~https://h:1/a?x=1",
        "{{ dir \"/a/b/c\" }} {{ clean \"a//b/../c/.\" }} {{ osBase \"/x/y.log\" }} {{ clean \"\" }} {{ dir \"file\" }}~/a/b a/c y.log . .",
        "{{ expandenv \"[$TAILFLOW_NO_SUCH_VAR]\" }}~[]",
        "{{ fromJson \"bad\" }}|{{ fromJson \"null\" }}|{{ list | first }}~<no value>|<no value>|<no value>",
    })
    void sprigFunctions(String template, String expected) {
        assertThat(render(template)).isEqualTo(expected);
    }

    @Test
    void tildeConstraints() {
        assertThat(render("{{ semverCompare \"~1.2.0\" \"1.3.0\" }} {{ semverCompare \"~1.2.0\" \"1.2.9\" }}"))
                .isEqualTo("false true");
        assertThat(render("{{ semverCompare \"~1\" \"1.9.0\" }} {{ semverCompare \"~>1.2\" \"2.0.0\" }}")).isEqualTo("true false");
    }

    @Test
    void randomFunctionsExistAndBehaveSanely() {
        assertThat((String) render("{{ randAlpha 8 }}")).matches("[A-Za-z]{8}");
        assertThat((String) render("{{ randAlphaNum 8 }}")).matches("[A-Za-z0-9]{8}");
        assertThat((String) render("{{ randNumeric 6 }}")).matches("[0-9]{6}");
        assertThat((String) render("{{ randAscii 6 }}")).hasSize(6);
        assertThat(render("{{ randInt 4 5 }}")).isEqualTo("4");
        assertThat((String) render("{{ uuidv4 }}")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat((String) render("{{ shuffle \"abc\" }}")).hasSize(3).contains("a", "b", "c");
        assertThat((String) render("{{ randBytes 3 }}")).hasSize(4);
        assertThat(render("{{ encryptAES \"secret\" \"plain text\" | decryptAES \"secret\" }}")).isEqualTo("plain text");
        // made with openssl enc -aes-256-cbc (key "secret" zero-padded to 32 bytes, IV 0..15, PKCS#7), IV first
        assertThat(render("{{ decryptAES \"secret\" \"AAECAwQFBgcICQoLDA0OD3iley6zm7XW+A7f4RTaAZI=\" }}")).isEqualTo("hi");
    }
}
