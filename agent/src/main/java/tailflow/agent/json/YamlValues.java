package tailflow.agent.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads a JSON or YAML document into plain values: {@code Map<String, Object>} (in document order),
 * {@code List<Object>}, the text of each scalar as written, and null for an empty or {@code null}
 * scalar. Straight from SnakeYAML's event parser (which the config reader loads anyway), so that the
 * positions file is read without a JSON library. Aliases, tags and typing are of no interest to
 * the files read here (the agent's own JSON, Promtail's positions YAML).
 */
public final class YamlValues {

    /** Positions files grow with files tailed and leases; far below this. */
    private static final int MAX_CODE_POINTS = 64 << 20;
    private static final int MAX_DEPTH = 100;

    private YamlValues() {}

    /** The document's root value, or null for an empty document. */
    public static Object read(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        Parser p = new ParserImpl(new StreamReader(text), options);
        p.getEvent(); // stream start
        if (p.checkEvent(Event.ID.StreamEnd)) {
            return null;
        }
        p.getEvent(); // document start
        return value(p, 0);
    }

    private static Object value(Parser p, int depth) {
        Event e = p.getEvent();
        if (depth > MAX_DEPTH) {
            throw new YAMLException("more than " + MAX_DEPTH + " levels of nesting");
        }
        if (e.is(Event.ID.MappingStart)) {
            Map<String, Object> map = new LinkedHashMap<>();
            while (!p.checkEvent(Event.ID.MappingEnd)) {
                Object key = value(p, depth + 1);
                map.put(String.valueOf(key), value(p, depth + 1));
            }
            p.getEvent();
            return map;
        }
        if (e.is(Event.ID.SequenceStart)) {
            List<Object> list = new ArrayList<>();
            while (!p.checkEvent(Event.ID.SequenceEnd)) {
                list.add(value(p, depth + 1));
            }
            p.getEvent();
            return list;
        }
        if (e instanceof ScalarEvent s) {
            boolean plainNull = s.getImplicit().canOmitTagInPlainScalar()
                    && (s.getValue().isEmpty() || s.getValue().equals("null") || s.getValue().equals("~"));
            return plainNull ? null : s.getValue();
        }
        throw new YAMLException("unexpected " + e + " at " + e.getStartMark());
    }
}
