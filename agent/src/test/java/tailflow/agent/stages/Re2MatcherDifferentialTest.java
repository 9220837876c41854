package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Re2Matcher against RE2/J alone: the same match and the same span for every group, over patterns
 * from Promtail's stage tests and typical configs and over edge cases of each translation rule,
 * each on generated inputs (the pattern's own characters plus \n, \r, \x0B, non-ASCII, a
 * surrogate pair and lone surrogates) and on realistic lines. Patterns the translator must refuse
 * are checked to stay on RE2/J; translated ones are checked to really go through java.util.regex.
 */
class Re2MatcherDifferentialTest {
    private static final String[] LINES = {
        "Nov 25 00:00:00 web-01 sshd[3582]: Accepted publickey for deploy from 10.0.174.12 port 20232 ssh2",
        "Nov  5 13:04:59 lb-1 CRON[45247]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
        "11.11.11.11 - frank [25/Jan/2000:14:00:01 -0500] \"GET /1986.js HTTP/1.1\" 200 932 \"-\" \"Mozilla/5.0 "
                + "(Windows; U; Windows NT 5.1; de; rv:1.9.1.7) Gecko/20091221 Firefox/3.5.7 GTB6\"",
        "2024-01-02T03:04:05.123Z level=info msg=\"hello world\" duration=12ms",
        "level=error ts=2024-01-02T03:04:05Z caller=main.go:12 err=\"boom\"\r",
        "line with\ttabs\u000Band vt\nand newline",
        "ünïcödé \u2028 sep \u0085 nel 😀 emoji \uD800 lone",
        "",
        "HTTP/1.1",
        "/var/log/nginx/access.log",
    };

    /** Patterns that must translate (so these cases really compare two engines). */
    @ParameterizedTest
    @ValueSource(strings = {
        "^(?P<ts>\\w{3} +\\d+ \\d\\d:\\d\\d:\\d\\d) (?P<host>\\S+) (?P<prog>[A-Za-z]+)",
        "^(?P<ip>\\S+) (?P<identd>\\S+) (?P<user>\\S+) \\[(?P<timestamp>[\\w:/]+\\s[+\\-]\\d{4})\\] \"(?P<action>\\S+)"
                + "\\s?(?P<path>\\S+)?\\s?(?P<protocol>\\S+)?\" (?P<status>\\d{3}|-) (?P<size>\\d+|-)\\s?\"?(?P<referer>[^\"]*)"
                + "\"?\\s?\"?(?P<useragent>[^\"]*)?\"?$",
        "^HTTP\\/(?P<protocol_version>[0-9\\.]+)$",
        "^(?P<year>\\d+)",
        "(?P<service>[^\\/]+)\\.log",
        ".*app1.*",
        "11.11.11.11 - (\\S+) .*",
        "11.11.11.11 - (\\S+\\s)",
        "\\S+ - \"",
        "^(\\S+) (\\S+) (\\S+) \\[([\\w:/]+\\s[+\\-]\\d{4})\\]",
        "(?P<ip_user>^(?P<ip>\\S+) (?P<identd>\\S+) (?P<user>\\S+)) \\[",
        "level=(?P<level>\\w+)",
        "^(?P<time>\\S+) level=(?P<level>[a-z]+) msg=\"(?P<msg>[^\"]*)\"",
        "(?P<a>a|ab)(?P<b>c|bcd)(?P<d>d*)",
        "(?P<x>x*?)(?P<y>y??)z",
        "a.b", "a.*b", "a.+?b", "^$", "$", "^", "x$", "\\Ax\\z",
        "\\bword\\b", "\\Bo\\B", "[[:alpha:]]+", "[[:^space:]]+", "[^[:digit:]a-c]+", "[]a]+", "[^]a]+", "[a-]+", "[-a]+",
        "[\\d\\s]+", "[^\\S]+", "\\s+", "\\S+", "\\W+", "\\D+", "[\\x{1F600}-\\x{1F64F}]", "\\x41\\x{263a}?",
        "[^x]", "[^\\x{1F600}]", "😀+", "[😀a]+", "\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\",
        "a{2}", "a{2,}", "a{1,3}?", "(?:ab){2,3}", "(?:a|b)+c", "(?:a+)+$", "a{,2}", "x{", "(?P<g>a)?b",
        "(a)|(b)|(c)", "(?P<e>x*)?y", "(?P<e>x*)??y", "(?:(?P<e>x)|y)?z", "(a(b(c)))", "a|", "|a", "(?:)", "[^\\x00-\\x{10FFFF}]?a", "\\n\\t\\r\\f\\v\\a",
    })
    void translatedPatternsMatchAsRe2(String expression) {
        matchesAsRe2(expression, true);
    }

    /** Patterns outside the provable subset stay on RE2/J (and of course still match as RE2). */
    @ParameterizedTest
    @ValueSource(strings = {
        "(?i)error", "(?s)a.b", "(?m)^a$", "(?U)a+", "(a+)+$", "(?:(a)|b)+", "(a*)*", "(?:a*)+", "(?:a|)+",
        "\\pL+", "\\p{Greek}", "\\PN", "\\Qa.b\\E", "\\101", "(\\b)*", "(?:^)*a", "(a){2}",
    })
    void untranslatablePatternsStayOnRe2(String expression) {
        matchesAsRe2(expression, false);
    }

    private static void matchesAsRe2(String expression, boolean translated) {
        Pattern p = Pattern.compile(expression);
        Re2Matcher fast = new Re2Matcher(p);
        assertThat(fast.translated()).as("translated: %s", expression).isEqualTo(translated);
        compareOn(p, fast, inputsFor(expression));
        // the java.util.regex engine on its own, also for patterns the one-pass matcher takes
        compareOn(p, new Re2Matcher(p, Re2ToJava.translate(expression), null), inputsFor(expression));
    }

    /** Anchored deterministic sequences go through the one-pass matcher, and it matches as RE2. */
    @ParameterizedTest
    @ValueSource(strings = {
        "^(?P<ts>\\w{3} +\\d+ \\d\\d:\\d\\d:\\d\\d) (?P<host>\\S+) (?P<prog>[A-Za-z]+)",
        "^HTTP\\/(?P<protocol_version>[0-9\\.]+)$",
        "^(?P<year>\\d+)",
        "(?P<ip_user>^(?P<ip>\\S+) (?P<identd>\\S+) (?P<user>\\S+)) \\[",
        "^(?P<time>\\S+) level=(?P<level>[a-z]+) msg=\"(?P<msg>[^\"]*)\"",
        "^(\\S+) (\\S+) (\\S+) \\[([\\w:/]+\\s[+\\-]\\d{4})\\]",
        "^a*?", "^a+?", "^(a*?)$", "^(a{2,4}?)", "^(a{2,4})", "^(\\d{1,3})\\.", "^x?y", "^x??y", "^(?:ab)c",
        "\\A(\\w*)\\z", "^[^x]*x", "^(.*)$", "^(.+?)$", "^$", "^", "^😀*(a)", "^[^\\x{1F600}]+(😀)",
    })
    void anchoredSequencesMatchOnePassAsRe2(String expression) {
        matchesAsRe2OnePass(expression, true);
    }

    /** Anchored, but a variable part overlaps what follows it (or the shape is no flat sequence): not one pass. */
    @ParameterizedTest
    @ValueSource(strings = {
        "^(a*)a", "^\\w+\\d", "^(\\S+)\\s?(\\S+)", "^a*b?", "^(a|b)c", "^(?:ab)+", "^x\\b", "a^b", "^a$b", "(\\d+)$",
        "^(?P<x>\\S+)?x", "^.*x", "^(.*) (.*)$",
    })
    void otherPatternsAreNotOnePass(String expression) {
        matchesAsRe2OnePass(expression, false);
    }

    private static void matchesAsRe2OnePass(String expression, boolean onePass) {
        Pattern p = Pattern.compile(expression);
        Re2Matcher fast = new Re2Matcher(p);
        assertThat(fast.onePass()).as("one pass: %s", expression).isEqualTo(onePass);
        compareOn(p, fast, inputsFor(expression));
    }

    @Test
    void aCatastrophicPatternFinishesThroughRe2() {
        Pattern p = Pattern.compile("^(?P<all>(?:a+)+)$");
        Re2Matcher fast = new Re2Matcher(p);
        assertThat(fast.translated()).isTrue();
        String line = "a".repeat(5_000) + "b";
        assertThat(fast.find(line)).isFalse();
        assertThat(fast.fallbacks()).as("the backtracker gave up and RE2/J answered").isEqualTo(1);
        assertThat(fast.find("a".repeat(5_000))).isTrue();
        assertThat(fast.group(1)).hasSize(5_000);
    }

    @Test
    void aMatchStartingInsideASurrogatePairIsLeftToRe2() {
        Pattern p = Pattern.compile("[^\\x{1F600}]");
        Re2Matcher fast = new Re2Matcher(p);
        assertThat(fast.find("😀")).isFalse(); // a match at the low surrogate would not be RE2's
        assertThat(fast.find("a😀")).isTrue();
        assertThat(fast.start(0)).isZero();
    }

    @Test
    void deepRecursionFallsBackInsteadOfFailing() {
        Pattern p = Pattern.compile("^(?P<pairs>(?:ab|cd)+)$");
        Re2Matcher fast = new Re2Matcher(p);
        String line = "ab".repeat(200_000);
        assertThat(fast.find(line)).isTrue();
        assertThat(fast.group(1)).hasSize(line.length());
    }

    private static void compareOn(Pattern p, Re2Matcher fast, List<String> inputs) {
        com.google.re2j.Matcher slow = p.matcher("");
        for (String in : inputs) {
            boolean expected = slow.reset(in).find();
            assertThat(fast.find(in)).as("found %s in %s", p, escape(in)).isEqualTo(expected);
            if (expected) {
                for (int g = 0; g <= slow.groupCount(); g++) {
                    assertThat(new int[] {fast.start(g), fast.end(g)}).as("group %d of %s in %s", g, p, escape(in))
                            .containsExactly(slow.start(g), slow.end(g));
                }
            }
        }
    }

    /** Realistic lines, 20 mutations of each, and 400 random strings over the pattern's own characters and the troublesome ones. */
    private static List<String> inputsFor(String expression) {
        List<String> out = new ArrayList<>(List.of(LINES));
        StringBuilder alphabet = new StringBuilder(" \n\r\u000B\t\f-_:/.\"[]aAbz09éΣ");
        expression.codePoints().filter(c -> c != '\\').forEach(alphabet::appendCodePoint);
        int[] runes = alphabet.codePoints().toArray();
        String[] extras = {"😀", "\uD800", "\uDC00", "\u2028", "\u0085"};
        Random r = new Random(expression.hashCode());
        for (int i = 0; i < 400; i++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(i < 200 ? 8 : 40);
            for (int k = 0; k < len; k++) {
                if (r.nextInt(30) == 0) {
                    sb.append(extras[r.nextInt(extras.length)]);
                } else {
                    sb.appendCodePoint(runes[r.nextInt(runes.length)]);
                }
            }
            out.add(sb.toString());
        }
        for (String line : LINES) {
            for (int i = 0; i < 20 && !line.isEmpty(); i++) {
                StringBuilder sb = new StringBuilder(line);
                for (int k = r.nextInt(4); k >= 0; k--) {
                    int at = r.nextInt(sb.length());
                    sb.replace(at, at + 1, Character.toString(runes[r.nextInt(runes.length)]));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return sb.toString();
    }

    @Test
    void forcedRe2AgreesWithItself() {
        Pattern p = Pattern.compile("(?P<a>a+)");
        Re2Matcher slowOnly = new Re2Matcher(p, Optional.empty(), null);
        assertThat(slowOnly.translated()).isFalse();
        assertThat(slowOnly.find("baa")).isTrue();
        assertThat(slowOnly.group(1)).isEqualTo("aa");
    }
}
