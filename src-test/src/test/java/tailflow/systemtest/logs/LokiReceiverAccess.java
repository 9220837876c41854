package tailflow.systemtest.logs;

import java.util.Map;
import tailflow.agent.pipeline.Labels;
import tailflow.systemtest.loki.LokiReceiver;

/** Small helpers over receiver entries. */
final class LokiReceiverAccess {
    private LokiReceiverAccess() {}

    static Map<String, String> labels(LokiReceiver.Entry e) {
        return Labels.parse(e.labels()).asMap();
    }
}
