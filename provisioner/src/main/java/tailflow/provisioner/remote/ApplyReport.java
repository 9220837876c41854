package tailflow.provisioner.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.EnumSet;
import java.util.function.Consumer;
import tailflow.provisioner.plan.StepKind;

/**
 * What the apply script reported, built line by line as its output streams in: the steps done,
 * the step that failed with why, and, when it restarted the agent, whether the agent became
 * ready ({@link RemoteScripts#readiness}). {@link #accept} forwards each marker to a listener so
 * progress shows while the script runs.
 */
public final class ApplyReport implements Consumer<String> {

    private final Consumer<Marker> listener;
    private final List<StepKind> done = new ArrayList<>();
    private Marker.StepFailed failure;
    private long uploadedBytes = -1;
    private boolean ready;
    private String notReady;
    private final List<String> journal = new ArrayList<>();

    public ApplyReport(Consumer<Marker> listener) {
        this.listener = listener;
    }

    /** Reads a whole output at once (tests, and scripts whose progress nobody watches). */
    public static ApplyReport of(String output) {
        ApplyReport r = new ApplyReport(m -> { });
        output.lines().forEach(r);
        return r;
    }

    @Override
    public void accept(String line) {
        Optional<Marker> m = Marker.parse(line);
        if (m.isEmpty()) {
            return;
        }
        if (m.get() instanceof Marker.StepDone d) {
            done.add(d.step());
        } else if (m.get() instanceof Marker.StepFailed f) {
            failure = f;
        } else if (m.get() instanceof Marker.Uploaded u) {
            uploadedBytes = u.bytes();
        } else if (m.get() instanceof Marker.Ready) {
            ready = true;
        } else if (m.get() instanceof Marker.NotReady n) {
            notReady = n.why();
        } else if (m.get() instanceof Marker.JournalLine j) {
            journal.add(j.line());
        } else {
            throw new IllegalArgumentException("the apply script does not print " + line);
        }
        listener.accept(m.get());
    }

    public Set<StepKind> done() {
        return done.isEmpty() ? EnumSet.noneOf(StepKind.class) : EnumSet.copyOf(done);
    }

    public boolean done(StepKind step) {
        return done.contains(step);
    }

    public Optional<Marker.StepFailed> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether the restarted agent became ready; empty when the script did not get that far (or had no restart). */
    public Optional<VerifyReport> verification() {
        if (notReady != null) {
            return Optional.of(new VerifyReport(false, notReady, journal));
        }
        return ready ? Optional.of(VerifyReport.agentReady()) : Optional.empty();
    }

    /** Bytes the host received and checked, or -1 when no bundle was sent (or it failed its check). */
    public long uploadedBytes() {
        return uploadedBytes;
    }
}
