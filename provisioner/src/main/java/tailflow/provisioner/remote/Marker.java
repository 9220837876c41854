package tailflow.provisioner.remote;

import java.util.Optional;
import tailflow.provisioner.plan.StepKind;

/**
 * The lines a remote script prints to report what it did, typed. The wire form is one line
 * {@code @@<keyword> <arguments>}; every other line is ordinary output. {@link #parse} is the
 * only place that knows the keywords.
 */
public sealed interface Marker {

    String PREFIX = "@@";

    /** A plan step finished ({@code @@step <step>}). */
    record StepDone(StepKind step) implements Marker {}

    /** A plan step failed and the script stopped ({@code @@fail <step> <why>}). */
    record StepFailed(StepKind step, String why) implements Marker {}

    /** The bundle arrived complete and checked; unpacking follows ({@code @@uploaded <bytes>}). */
    record Uploaded(long bytes) implements Marker {}

    /** The unit is active and /ready answered ({@code @@ready <http code or nocheck>}). */
    record Ready(String code) implements Marker {}

    /** Verification gave up ({@code @@notready <why>}). */
    record NotReady(String why) implements Marker {}

    /** One line of the agent's journal ({@code @@journal <line>}). */
    record JournalLine(String line) implements Marker {}

    /** Rollback restarted the previous release ({@code @@rolledback <release>}). */
    record RolledBack(String release) implements Marker {}

    /** Rollback stopped the agent: there was nothing to return to ({@code @@stopped <why>}). */
    record Stopped(String why) implements Marker {}

    /** Rollback could not restart the previous release ({@code @@rollbackfailed <why>}). */
    record RollbackFailed(String why) implements Marker {}

    /**
     * The marker on this line, if it is one.
     *
     * @throws IllegalArgumentException for a marker line this provisioner does not know (a script
     *                                  and its parser out of step: a bug, not a host problem)
     */
    static Optional<Marker> parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int space = line.indexOf(' ');
        String keyword = line.substring(PREFIX.length(), space < 0 ? line.length() : space);
        String rest = space < 0 ? "" : line.substring(space + 1);
        int gap = rest.indexOf(' ');
        return Optional.of(switch (keyword) {
            case "step" -> new StepDone(StepKind.ofLabel(rest.strip()));
            case "fail" -> new StepFailed(StepKind.ofLabel(gap < 0 ? rest : rest.substring(0, gap)),
                    gap < 0 ? "" : rest.substring(gap + 1));
            case "uploaded" -> new Uploaded(Long.parseLong(rest.strip()));
            case "ready" -> new Ready(rest.strip());
            case "notready" -> new NotReady(rest);
            case "journal" -> new JournalLine(rest);
            case "rolledback" -> new RolledBack(rest.strip());
            case "stopped" -> new Stopped(rest);
            case "rollbackfailed" -> new RollbackFailed(rest);
            default -> throw new IllegalArgumentException("unknown marker line from a remote script: " + line);
        });
    }
}
