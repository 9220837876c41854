package tailflow.agent.stages;

import java.util.HashMap;
import java.util.Map;
import tailflow.agent.pipeline.Labels;

/**
 * One {@link Labels} instance per distinct label set seen by a chain. A stage that sets a label
 * makes a new set per entry; Labels caches its hash and Loki text per instance, so without this
 * every entry paid for both again (Labels.lokiText was a third of the reader thread's time in the
 * 256 MiB bench with a labels stage). Bounded: past {@value #MAX_SETS} sets it starts over.
 * One instance per chain (one thread).
 */
final class LabelsInterner {
    static final int MAX_SETS = 4096;
    private final Map<Labels, Labels> canonical = new HashMap<>();
    private Labels last;

    Labels intern(Labels l) {
        if (l == last) {
            return l;
        }
        Labels c = canonical.get(l);
        if (c == null) {
            if (canonical.size() >= MAX_SETS) {
                canonical.clear();
            }
            canonical.put(l, l);
            c = l;
        }
        last = c;
        return c;
    }
}
