package tailflow.agent.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one job's stages for one client: entry in, through every stage, out to the client.
 *
 * <p>Positions: an input's checkpoint is reported {@linkplain ChainOutput#done done} right after
 * it went through the stages, unless a stage {@linkplain Stage#holding holds} something; then
 * the checkpoints wait (the latest per source) until no stage holds anything. So a source
 * advances only over a contiguous prefix of entries that were handed to the client (and are
 * acknowledged with it) or dropped, never past a held entry. The price is conservative: while a
 * stage holds continuously (a busy multiline stream), positions of that job advance only when
 * it lets go; a resend after a crash then repeats the same entries with the same timestamps.
 *
 * <p>Not thread-safe: runs on its client's reader thread.
 */
public final class Chain {

    private final List<Stage> stages;
    private final ChainOutput out;
    private final Consumer<String> dropped;
    private final List<Emitter> emitters = new ArrayList<>();
    private final Map<Object, Checkpoint> waiting = new LinkedHashMap<>();

    /**
     * @param stages  the job's stages, in order (an empty list passes entries straight through)
     * @param out     the client
     * @param dropped told the reason of every entry a stage dropped (for the metrics)
     */
    public Chain(List<Stage> stages, ChainOutput out, Consumer<String> dropped) {
        this.stages = List.copyOf(stages);
        this.out = out;
        this.dropped = dropped;
        for (int i = 0; i < this.stages.size(); i++) {
            emitters.add(emitterInto(i + 1));
        }
    }

    /** Stage {@code next}'s input, or the client's after the last stage. */
    private Emitter emitterInto(int next) {
        return new Emitter() {
            @Override
            public void emit(Entry entry) {
                if (next < stages.size()) {
                    stages.get(next).process(entry, emitters.get(next));
                } else {
                    out.entry(entry);
                }
            }

            @Override
            public void drop(Entry entry, String reason) {
                if (!UNCOUNTED.equals(reason)) {
                    dropped.accept(reason);
                }
            }
        };
    }

    /** True when the job has no stages: a source may then skip building entries (the fast path). */
    public boolean passThrough() {
        return stages.isEmpty();
    }

    public void process(Entry entry) {
        if (stages.isEmpty()) {
            out.entry(entry);
            out.done(entry.checkpoint());
            return;
        }
        stages.get(0).process(entry, emitters.get(0));
        if (holding()) {
            waiting.put(entry.checkpoint().source(), entry.checkpoint());
        } else {
            releaseWaiting();
            out.done(entry.checkpoint());
        }
    }

    /** About every 100 ms: stages release what waited long enough. */
    public void tick(long monoNanos) {
        for (int i = 0; i < stages.size(); i++) {
            stages.get(i).tick(monoNanos, emitters.get(i));
        }
        if (!holding()) {
            releaseWaiting();
        }
    }

    /** Stopping or reloading: every stage lets go of what it holds. */
    public void flush() {
        for (int i = 0; i < stages.size(); i++) {
            stages.get(i).flush(emitters.get(i));
        }
        releaseWaiting();
    }

    public boolean holding() {
        for (Stage s : stages) {
            if (s.holding()) {
                return true;
            }
        }
        return false;
    }

    private void releaseWaiting() {
        if (!waiting.isEmpty()) {
            waiting.values().forEach(out::done);
            waiting.clear();
        }
    }
}
