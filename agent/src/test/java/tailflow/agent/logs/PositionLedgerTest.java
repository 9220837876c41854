package tailflow.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.agent.positions.Lease;
import tailflow.agent.positions.PositionsFile;

class PositionLedgerTest {

    private static final long SECOND = 1_000_000_000L;
    private static final FileIdentity ID = new FileIdentity(1, 42);

    @TempDir
    Path dir;

    @Test
    void timestampsArePureFunctionsOfOffsetAfterARestart() throws Exception {
        PositionsFile file = new PositionsFile(dir.resolve("positions.yaml"));
        PositionLedger before = new PositionLedger(SECOND);
        PositionLedger.Entry e = before.track(ID, "/var/log/syslog");
        long wall = 1_700_000_000L * SECOND;
        List<Long> first = new ArrayList<>();
        long[] lineStarts = {0, 120, 250, 251, 600};
        for (long o : lineStarts) {
            first.add(before.timestamp(e, o, wall, 0));
        }
        assertThat(before.hasPendingLeases()).isTrue();
        file.writeFiles("c", before.snapshot(wall));
        before.markDurable();
        before.acknowledge(e.generation(), 251); // the first three lines were acknowledged, the rest not

        // crash: a new process reads the file back and re-reads from the acknowledged offset
        PositionLedger after = new PositionLedger(SECOND);
        after.restore(new PositionsFile(dir.resolve("positions.yaml")).files("c"));
        PositionLedger.Entry e2 = after.get(ID);
        assertThat(e2.acked()).isEqualTo(0); // the acknowledgement was not written before the crash
        List<Long> again = new ArrayList<>();
        for (long o : lineStarts) {
            again.add(after.timestamp(e2, o, wall + 3600 * SECOND, 99 * SECOND));
        }
        assertThat(again).isEqualTo(first);
        assertThat(after.hasPendingLeases()).isFalse();
        assertThat(first).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void staleLeaseIsCutAtTheFrontierAndANewOneStartsNearTheClock() {
        PositionLedger l = new PositionLedger(SECOND);
        PositionLedger.Entry e = l.track(ID, "/f");
        long t0 = 1_000 * SECOND;
        assertThat(l.timestamp(e, 0, t0, 0)).isEqualTo(t0);
        assertThat(l.timestamp(e, 100, t0 + 1, SECOND / 2)).isEqualTo(t0 + 100);
        l.markDurable();
        long later = t0 + 60 * SECOND;
        assertThat(l.timestamp(e, 200, later, 60 * SECOND)).isEqualTo(later);
        assertThat(l.hasPendingLeases()).isTrue();
        assertThat(e.leases()).containsExactly(new Lease(0, 200, t0),
                new Lease(200, 200 + PositionLedger.MIN_SPAN, later));
        // re-timestamping below the frontier (a resend) uses the old lease, not the clock
        assertThat(l.timestamp(e, 100, later + 5 * SECOND, 65 * SECOND)).isEqualTo(t0 + 100);
    }

    @Test
    void successiveFilesOfOneNameNeverShareTimestamps() {
        PositionLedger l = new PositionLedger(SECOND);
        long t = 5_000 * SECOND;
        PositionLedger.Entry old = l.track(new FileIdentity(1, 1), "/var/log/syslog");
        PositionLedger.Entry next = l.track(new FileIdentity(1, 2), "/var/log/syslog");
        long a = l.timestamp(old, 0, t, 0);
        long b = l.timestamp(next, 0, t, 0); // same clock reading: must not collide with old's range
        assertThat(b).isGreaterThanOrEqualTo(a + PositionLedger.MIN_SPAN);
        // and the floor survives a restart
        PositionLedger restored = new PositionLedger(SECOND);
        restored.restore(l.snapshot(t));
        PositionLedger.Entry third = restored.track(new FileIdentity(1, 3), "/var/log/syslog");
        assertThat(restored.timestamp(third, 0, t, 0)).isGreaterThanOrEqualTo(b + PositionLedger.MIN_SPAN);
    }

    @Test
    void acknowledgementsOfAnOldGenerationAreIgnoredAfterTruncation() {
        PositionLedger l = new PositionLedger(SECOND);
        PositionLedger.Entry e = l.track(ID, "/f");
        long before = l.timestamp(e, 0, SECOND, 0);
        PositionLedger.Generation oldGen = e.generation();
        l.truncated(e);
        l.acknowledge(oldGen, 5000);
        assertThat(e.acked()).isZero();
        long after = l.timestamp(e, 0, SECOND, 0);
        assertThat(after).isGreaterThan(before);
        l.acknowledge(e.generation(), 10);
        assertThat(e.acked()).isEqualTo(10);
    }

    @Test
    void acknowledgedLeasesAreDroppedButTheCurrentOneKept() {
        PositionLedger l = new PositionLedger(SECOND);
        PositionLedger.Entry e = l.track(ID, "/f");
        l.timestamp(e, 0, SECOND, 0);
        l.timestamp(e, 100, 100 * SECOND, 10 * SECOND); // stale: cut at 100, new lease
        l.acknowledge(e.generation(), 150);
        assertThat(e.leases()).hasSize(1);
        assertThat(e.leases().get(0).start()).isEqualTo(100);
    }

    @Test
    void promtailPositionsFileIsReadForMigration() throws Exception {
        Path p = dir.resolve("positions.yaml");
        java.nio.file.Files.writeString(p, "positions:\n  /var/log/syslog: \"12345\"\n  /var/log/auth.log: \"77\"\n");
        PositionsFile f = new PositionsFile(p);
        assertThat(f.files("any")).isNull();
        assertThat(f.promtail()).containsEntry("/var/log/syslog", "12345").containsEntry("/var/log/auth.log", "77");
        // after our first write the file is ours, and still carries Promtail's map for a rollback
        PositionLedger l = new PositionLedger(SECOND);
        l.imported(ID, "/var/log/syslog", 12345);
        f.writeFiles("c", l.snapshot(0));
        assertThat(new PositionsFile(p).promtail()).isEmpty();
        assertThat(java.nio.file.Files.readString(p)).contains("\"positions\"").contains("\"/var/log/syslog\" : \"12345\"");
        assertThat(new PositionsFile(p).files("c").files()).singleElement()
                .satisfies(s -> assertThat(s.offset()).isEqualTo(12345));
    }

    @Test
    void aCopyTakesOverTheOldGenerationWithItsLeasesAndInFlightAcknowledgements() {
        PositionLedger l = new PositionLedger(SECOND);
        PositionLedger.Entry live = l.track(ID, "/f");
        long ts = l.timestamp(live, 100, 7 * SECOND, 0);
        l.acknowledge(live.generation(), 100);
        PositionLedger.Generation inFlight = live.generation();
        PositionLedger.Entry copy = l.copied(live, new FileIdentity(1, 43));
        assertThat(copy.label()).isEqualTo("/f");
        assertThat(copy.acked()).isEqualTo(100);
        assertThat(live.acked()).isZero();
        assertThat(l.hasPendingLeases()).isTrue();
        l.acknowledge(inFlight, 180); // a batch sent before the truncation comes back: it was the copy's bytes
        assertThat(copy.acked()).isEqualTo(180);
        assertThat(live.acked()).isZero();
        assertThat(l.timestamp(copy, 100, 99 * SECOND, 0)).as("a resend keeps its timestamp").isEqualTo(ts);
        assertThat(l.timestamp(live, 0, 7 * SECOND, 0)).as("the new generation never collides").isGreaterThan(ts);
    }

    @Test
    void journalCursorsLiveInTheClientSectionAndInPromtailsMap() throws Exception {
        Path p = dir.resolve("positions.yaml");
        PositionsFile f = new PositionsFile(p);
        PositionLedger l = new PositionLedger(SECOND);
        l.imported(ID, "/var/log/syslog", 10);
        f.writeFiles("c", l.snapshot(0));
        f.writeJournal("c", java.util.Map.of("journal-varlogs",
                new tailflow.agent.positions.JournalPosition("s=abc;i=1", 1_700_000_000_000_000L)));
        PositionsFile again = new PositionsFile(p);
        assertThat(again.journal("c")).containsKey("journal-varlogs");
        assertThat(again.files("c").files()).hasSize(1);
        assertThat(java.nio.file.Files.readString(p)).contains("\"journal-varlogs\" : \"s=abc;i=1\"");
    }
}
