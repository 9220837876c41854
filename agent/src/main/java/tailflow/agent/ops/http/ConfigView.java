package tailflow.agent.ops.http;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tailflow.agent.config.Secrets;

/**
 * Turns the effective config (records) into plain maps and lists for {@code /config}, with
 * secrets masked by the one rule ({@link Secrets}): a secret component shows {@code <secret>}.
 */
public final class ConfigView {

    private ConfigView() {}

    public static Object of(Object value) {
        return convert(value, false);
    }

    private static Object convert(Object value, boolean secret) {
        if (value == null) {
            return null;
        }
        if (value instanceof Optional<?> optional) {
            return optional.map(v -> convert(v, secret)).orElse(null);
        }
        if (secret) {
            return Secrets.MASK;
        }
        if (value instanceof Record record) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (RecordComponent rc : record.getClass().getRecordComponents()) {
                try {
                    Object v = rc.getAccessor().invoke(record);
                    map.put(Secrets.snake(rc.getName()), convert(v, Secrets.isSecret(rc.getName())));
                } catch (ReflectiveOperationException e) {
                    map.put(Secrets.snake(rc.getName()), "<unavailable: " + e + ">");
                }
            }
            return map;
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> map = new TreeMap<>();
            m.forEach((k, v) -> map.put(String.valueOf(k), convert(v, Secrets.isSecret(String.valueOf(k)))));
            return map;
        }
        if (value instanceof Collection<?> c) {
            List<Object> list = new ArrayList<>();
            c.forEach(v -> list.add(convert(v, false)));
            return list;
        }
        if (value instanceof Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
        if (value instanceof Path || value instanceof URI || value instanceof Enum<?>) {
            return value.toString();
        }
        return value;
    }
}
