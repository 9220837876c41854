package tailflow.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The config reader on SnakeYAML's events makes the same tree (every key and value at the same
 * line and column, the same text, null where the old one saw null, the same ${VAR} problems) and
 * the same errors as the reader on Jackson's YAML parser it replaced, for the example configs, the
 * broken-config table and YAML's corners.
 */
class YamlTreeReaderTest {

    static Stream<String> documents() throws IOException {
        List<String> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("..", "configs"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                docs.add(Files.readString(f));
            }
        }
        BrokenConfigTest.brokenYaml().forEach(a -> docs.add((String) a.get()[1]));
        docs.addAll(List.of(
                "", "# only a comment\n", "---\n", "---\na: 1\n", "a: 1\n---\nb: 2\n", "a: 1\n---\n", "a: 1\n...\n",
                "a:\n", "a: ~\nb: null\nc: Null\nd: NULL\ne: ''\nf: \"\"\ng: nUll\n",
                "a: yes\nb: off\nc: 'true'\nd: 0x1F\ne: 1_000\nf: .inf\ng: 1:30\nh: 09\ni: 1.\nj: !!str 5\nk: !!int '5'\n",
                "a: &x 1\nb: *x\n", "a: &x {c: 1}\nb: *x\n", "? complex\n: value\n",
                "a: |\n  one\n  two\nb: >\n  folded\n  text\nc: after\n",
                "a: \"multi\n  line\"\nb: 'it''s'\n", "- 1\n- two\n- {three: 3}\n- [4, [5]]\n", "plain text\n",
                "a:\n  - b: 1\n    c: [x, y]\n  -\n  - d:\n", "a: {b: [1, {c: d}], e: f}\n",
                "a: 1\n  b: 2\n", "a:\n\tb: 1\n", "a: [1, 2\n", "a: {b: 1\n", "a: b: c\n", "- a\nb: 1\n",
                "a: 1\na: 2\nb: {c: 1, c: 2}\n", "a: 'unterminated\n", "a: \"bad \\q escape\"\n",
                "a: ${HOME}\nb: ${UNSET}\nc: x${UNSET:-def}y\nd: '${UNSET}'\ne: $$HOME\nf: ${\n",
                "key with spaces: 1\n\"quoted key\": 2\n'': 3\n", "a: !custom tagged\n", "%YAML 1.1\n---\na: 1\n",
                "a: " + "[".repeat(30) + "]".repeat(30) + "\n"));
        return docs.stream();
    }

    @ParameterizedTest
    @MethodSource("documents")
    void sameTreeAndErrorsAsTheJacksonReader(String yaml) {
        byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
        Map<String, String> env = Map.of("HOME", "/root");
        String expected = render(() -> new JacksonYamlTreeReader("f.yaml", Optional.of(new EnvExpander(env, () -> "h"))).read(bytes));
        String actual = render(() -> new YamlTreeReader("f.yaml", Optional.of(new EnvExpander(env, () -> "h"))).read(bytes));
        assertThat(actual).as(yaml).isEqualTo(expected);
    }

    /** The one place the readers differ: Jackson's message was about its own tokens, at the column after the key's start. */
    @Test
    void aListOrAliasAsAKeyIsAnErrorAtTheKey() {
        assertThatThrownBy(() -> read("a: 1\n[x, y]: 1\n")).isInstanceOf(ConfigException.class).hasMessageContaining(
                "f.yaml:2:1: (document): expected a plain key (a word before ':'), found a list or mapping used as a key");
        assertThatThrownBy(() -> read("s:\n  *x : 1\n")).isInstanceOf(ConfigException.class).hasMessageContaining(
                "f.yaml:2:3: s: expected a plain key (a word before ':'), found a YAML alias");
    }

    @Test
    void scalarsAreTypedAsYaml11() throws Exception {
        Node.Mapping m = (Node.Mapping) read("a: yes\nb: 12\nc: '12'\nd: ~\ne: text\nf: !!null x\ng: 1.5e3\n");
        assertThat(m.entries().values().stream().map(e -> ((Node.Scalar) e.value()).kind()).toList()).containsExactly(
                Node.Scalar.Kind.BOOLEAN, Node.Scalar.Kind.NUMBER, Node.Scalar.Kind.STRING, Node.Scalar.Kind.NULL,
                Node.Scalar.Kind.STRING, Node.Scalar.Kind.NULL, Node.Scalar.Kind.NUMBER);
    }

    @Test
    void nestingBeyondTheLimitIsAnErrorNotAStackOverflow() {
        int depth = YamlTreeReader.MAX_DEPTH + 5;
        assertThatThrownBy(() -> read("a: " + "[".repeat(depth) + "]".repeat(depth) + "\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("levels of nesting");
    }

    private static Node read(String yaml) throws ConfigException {
        return new YamlTreeReader("f.yaml", Optional.empty()).read(yaml.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    }

    interface Read {
        Optional<Node> read() throws ConfigException;
    }

    /** The tree as text: locations, keys, scalar text, whether null, expansion problems; or the errors. */
    private static String render(Read read) {
        try {
            StringBuilder sb = new StringBuilder();
            read.read().ifPresentOrElse(n -> render(n, sb, ""), () -> sb.append("(empty)"));
            return sb.toString();
        } catch (ConfigException e) {
            return "errors: " + e.errors();
        }
    }

    private static void render(Node n, StringBuilder sb, String indent) {
        sb.append(n.location().line()).append(':').append(n.location().column()).append(' ');
        if (n instanceof Node.Mapping m) {
            sb.append("{\n");
            m.entries().values().forEach(e -> {
                sb.append(indent).append("  ").append(e.keyLocation().line()).append(':').append(e.keyLocation().column())
                        .append(' ').append(e.key()).append(" = ");
                render(e.value(), sb, indent + "  ");
            });
            sb.append(indent).append("}\n");
        } else if (n instanceof Node.Sequence s) {
            sb.append("[\n");
            s.items().forEach(i -> {
                sb.append(indent).append("  - ");
                render(i, sb, indent + "  ");
            });
            sb.append(indent).append("]\n");
        } else {
            Node.Scalar s = (Node.Scalar) n;
            sb.append(s.isNull() ? "null" : "'" + s.text() + "'").append(s.problem().map(p -> " problem " + p).orElse(""))
                    .append('\n');
        }
    }
}
