package tailflow.provisioner.report;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where every host of a run is: waiting, running (in which phase, since when) or finished (with
 * what outcome). Written by the hosts' threads, read by the live view; {@link #snapshot()} is a
 * consistent copy.
 */
public final class FleetBoard {

    /** Where a host is in the run. */
    public enum Stage { WAITING, RUNNING, FINISHED }

    /**
     * One host as the view shows it.
     *
     * @param outcome the finished host's status; {@code null} until {@link Stage#FINISHED}
     * @param since   clock millis when the current phase began (or the host finished)
     */
    public record Row(String host, Stage stage, HostStatus outcome, String phase, long since) {}

    /** A consistent copy of the board; {@code startedAt} is when the run began. */
    public record Snapshot(List<Row> rows, long startedAt) {

        public Snapshot {
            rows = List.copyOf(rows);
        }

        public long count(Stage stage) {
            return rows.stream().filter(r -> r.stage() == stage).count();
        }

        public long count(HostStatus outcome) {
            return rows.stream().filter(r -> r.stage() == Stage.FINISHED && r.outcome() == outcome).count();
        }

        public List<Row> running() {
            return rows.stream().filter(r -> r.stage() == Stage.RUNNING).toList();
        }
    }

    private final Clock clock;
    private final long startedAt;
    private final Map<String, Row> rows = new LinkedHashMap<>();

    public FleetBoard(Clock clock) {
        this.clock = clock;
        this.startedAt = clock.millis();
    }

    /** The run's hosts, in order, all waiting. */
    public synchronized void hosts(List<String> names) {
        long now = clock.millis();
        names.forEach(n -> rows.putIfAbsent(n, new Row(n, Stage.WAITING, null, "", now)));
    }

    public synchronized void started(String host) {
        rows.remove(host); // running hosts are listed in the order they started
        rows.put(host, new Row(host, Stage.RUNNING, null, "connect", clock.millis()));
    }

    public synchronized void phase(String host, String phase) {
        Row r = rows.get(host);
        if (r != null && r.stage() == Stage.RUNNING && !r.phase().equals(phase)) {
            rows.put(host, new Row(host, Stage.RUNNING, null, phase, clock.millis()));
        }
    }

    public synchronized void finished(String host, HostStatus outcome) {
        Row r = rows.get(host);
        rows.put(host, new Row(host, Stage.FINISHED, outcome, r == null ? "" : r.phase(), clock.millis()));
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(new ArrayList<>(rows.values()), startedAt);
    }
}
