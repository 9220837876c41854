package tailflow.agent.logs;

import java.util.Map;
import java.util.Optional;

/**
 * One {@code static_configs} entry as the tailer sees it: the glob, the exclude glob and the
 * labels every stream of its files carries besides {@code filename} (job labels, hostname,
 * the client's external labels).
 */
public record Target(String pathGlob, Optional<String> excludeGlob, Map<String, String> labels) {
    public Target {
        labels = Map.copyOf(labels);
    }
}
