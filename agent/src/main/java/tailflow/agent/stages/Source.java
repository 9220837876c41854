package tailflow.agent.stages;

import java.util.Optional;

/** The input of a parsing stage: the line, or an extracted value ({@code source:}) as Promtail reads it. */
final class Source {
    private Source() {}

    /** The text to work on, or null when the source is absent or has no string form (the stage then does nothing). */
    static String input(Item item, Optional<String> source) {
        if (source.isEmpty()) {
            return item.line;
        }
        return item.extracted.containsKey(source.get()) ? item.string(source.get()) : null;
    }

    /** Promtail's rule: source may be left out, but not given empty. */
    static Optional<String> check(Optional<String> source) {
        if (source.isPresent() && source.get().isEmpty()) {
            throw new IllegalArgumentException("empty source (leave source out to use the log line)");
        }
        return source;
    }
}
