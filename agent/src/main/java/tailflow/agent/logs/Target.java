package tailflow.agent.logs;

import java.util.Optional;
import tailflow.agent.pipeline.Labels;

/**
 * One {@code static_configs} entry as the file source sees it: its job, the glob, the exclude
 * glob and the labels every stream of its files carries besides {@code filename} (after
 * relabelling: job labels, hostname, the client's external labels).
 */
public record Target(String job, String pathGlob, Optional<String> excludeGlob, Labels labels) {}
