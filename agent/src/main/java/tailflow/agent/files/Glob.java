package tailflow.agent.files;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Promtail-style path glob compiled to a regular expression over absolute paths.
 *
 * <p>Supported: {@code *} (any run inside one path segment), {@code ?} (one character),
 * {@code [abc]}, {@code [a-z]}, {@code [!x]} / {@code [^x]} (character classes), {@code {a,b}}
 * (alternatives) and {@code **} as a whole segment (zero or more directories). As in Promtail
 * (doublestar), {@code *} also matches names starting with a dot.
 *
 * <p>{@link #baseDirectory()} and {@link #maxDepth()} tell a walker where to start and how deep
 * to go, so {@code /var/log/*log} never walks below {@code /var/log}.
 */
public final class Glob {
    private final String text;
    private final Pattern pattern;
    private final String baseDirectory;
    private final int maxDepth;

    private Glob(String text, Pattern pattern, String baseDirectory, int maxDepth) {
        this.text = text;
        this.pattern = pattern;
        this.baseDirectory = baseDirectory;
        this.maxDepth = maxDepth;
    }

    /**
     * @throws IllegalArgumentException naming the glob and the column of an unclosed {@code [} or {@code {}
     */
    public static Glob compile(String glob) {
        if (glob.isEmpty()) {
            throw new IllegalArgumentException("empty glob");
        }
        boolean absolute = glob.startsWith("/");
        String[] segments = (absolute ? glob.substring(1) : glob).split("/+", -1);
        StringBuilder regex = new StringBuilder(absolute ? "/" : "");
        List<String> literalPrefix = new ArrayList<>();
        boolean literal = true;
        boolean doubleStar = false;
        int column = absolute ? 2 : 1;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals("**")) {
                doubleStar = true;
                literal = false;
                regex.append(last ? ".*" : "(?:[^/]+/)*");
            } else {
                if (literal && !last && !hasMeta(segment)) {
                    literalPrefix.add(segment);
                } else {
                    literal = false;
                }
                appendSegment(glob, segment, column, regex);
                if (!last) {
                    regex.append('/');
                }
            }
            column += segment.length() + 1;
        }
        String base = (absolute ? "/" : "") + String.join("/", literalPrefix);
        if (base.isEmpty()) {
            base = ".";
        }
        int depth = doubleStar ? Integer.MAX_VALUE : segments.length - literalPrefix.size();
        return new Glob(glob, Pattern.compile(regex.toString()), base, depth);
    }

    private static boolean hasMeta(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    private static void appendSegment(String glob, String segment, int column, StringBuilder regex) {
        int braces = 0;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            switch (c) {
                case '*' -> regex.append("[^/]*");
                case '?' -> regex.append("[^/]");
                case '\\' -> {
                    if (i + 1 < segment.length()) {
                        regex.append(Pattern.quote(String.valueOf(segment.charAt(++i))));
                    } else {
                        regex.append("\\\\");
                    }
                }
                case '[' -> {
                    int close = segment.indexOf(']', i + 2);
                    if (close < 0) {
                        throw new IllegalArgumentException("glob " + glob + ": unclosed '[' at column " + (column + i));
                    }
                    String body = segment.substring(i + 1, close);
                    regex.append('[');
                    if (body.startsWith("!") || body.startsWith("^")) {
                        regex.append('^');
                        body = body.substring(1);
                    }
                    for (char b : body.toCharArray()) {
                        if (b == '-') {
                            regex.append('-');
                        } else if (Character.isLetterOrDigit(b)) {
                            regex.append(b);
                        } else {
                            regex.append('\\').append(b);
                        }
                    }
                    regex.append(']');
                    i = close;
                }
                case '{' -> {
                    braces++;
                    regex.append("(?:");
                }
                case ',' -> regex.append(braces > 0 ? "|" : ",");
                case '}' -> {
                    if (braces > 0) {
                        braces--;
                        regex.append(')');
                    } else {
                        regex.append("\\}");
                    }
                }
                default -> {
                    if (Character.isLetterOrDigit(c)) {
                        regex.append(c);
                    } else {
                        regex.append('\\').append(c);
                    }
                }
            }
        }
        if (braces > 0) {
            throw new IllegalArgumentException("glob " + glob + ": unclosed '{' in segment starting at column " + column);
        }
    }

    public boolean matches(String path) {
        return pattern.matcher(path).matches();
    }

    /** The deepest directory with no glob characters: where a walk starts. */
    public String baseDirectory() {
        return baseDirectory;
    }

    /** Levels below {@link #baseDirectory()} a walk must visit; {@code Integer.MAX_VALUE} with {@code **}. */
    public int maxDepth() {
        return maxDepth;
    }

    @Override
    public String toString() {
        return text;
    }
}
