package tailflow.agent.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed config document (YAML or hsflowd.conf) in which every key and value remembers the
 * line and column it was written at, so that every error can point at it.
 */
public sealed interface Node permits Node.Mapping, Node.Sequence, Node.Scalar {

    Location location();

    /** What kind of thing this is, in words for an error message ("a list", "the text 'abc'"). */
    String describe();

    /** A 1-based position in the source file. */
    record Location(int line, int column) {}

    /** One {@code key: value} pair of a mapping; {@code keyLocation} is where the key starts. */
    record Entry(String key, Location keyLocation, Node value) {}

    /** A mapping, in document order. */
    record Mapping(Location location, Map<String, Entry> entries) implements Node {
        public Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    record Sequence(Location location, List<Node> items) implements Node {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar. {@code kind} is how the source typed it (YAML plain numbers and booleans, quoted or
     * plain strings, null for an empty value); {@code text} is its text after env expansion.
     */
    record Scalar(Location location, String text, Kind kind, java.util.Optional<Problem> problem) implements Node {
        public enum Kind { STRING, NUMBER, BOOLEAN, NULL }

        /**
         * Why the value could not be expanded (an unset ${VAR}), reported only if a reader uses the
         * value: a value under a key tailflow ignores must not fail the config.
         */
        public record Problem(Location at, String message) {}

        public Scalar(Location location, String text, Kind kind) {
            this(location, text, kind, java.util.Optional.empty());
        }

        public boolean isNull() {
            return kind == Kind.NULL;
        }

        @Override
        public String describe() {
            return kind == Kind.NULL ? "nothing" : "'" + text + "'";
        }
    }
}
