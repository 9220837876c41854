package tailflow.provisioner.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LiveFrameTest {

    private final MutableClock clock = new MutableClock(1_000_000);

    /** Five hosts: web1 changed, web2 failed, db1 in restart for 4.1 s, db2 in facts for 0.3 s, db3 waiting. */
    private FleetBoard fleet() {
        FleetBoard b = new FleetBoard(clock);
        b.hosts(List.of("web1", "web2", "db1", "db2", "db3"));
        b.started("web1");
        b.started("web2");
        b.started("db1");
        clock.advance(1000);
        b.finished("web1", HostStatus.CHANGED);
        b.finished("web2", HostStatus.FAILED);
        b.phase("db1", "restart");
        clock.advance(3800);
        b.started("db2");
        b.phase("db2", "facts");
        clock.advance(300);
        return b;
    }

    @Test
    void showsHostsDoneFailedRunningWaitingAndEachRunningHostsPhase() {
        List<String> lines = new LiveFrame(12).render(fleet().snapshot(), clock.millis(), 100, false);
        assertThat(lines).containsExactly(
                "hosts 5: 1 done, 1 failed, 2 running, 1 waiting  5.1s",
                "  db1  restart  4.1s",
                "  db2  facts    0.3s");
    }

    @Test
    void unreachableAndSkippedHostsAreCountedAsSuch() {
        FleetBoard b = new FleetBoard(clock);
        b.hosts(List.of("a", "b", "c", "d"));
        b.finished("a", HostStatus.OK);
        b.finished("b", HostStatus.UNREACHABLE);
        b.finished("c", HostStatus.FAILED);
        b.finished("d", HostStatus.SKIPPED);
        clock.advance(61_500);
        assertThat(new LiveFrame(12).render(b.snapshot(), clock.millis(), 100, false))
                .containsExactly("hosts 4: 1 done, 2 failed (1 unreachable), 0 running, 0 waiting, 1 skipped  1m01s");
    }

    @Test
    void noLineReachesTheLastColumnSoTheTerminalNeverWrapsOne() {
        List<String> lines = new LiveFrame(12).render(fleet().snapshot(), clock.millis(), 24, false);
        assertThat(lines).containsExactly(
                "hosts 5: 1 done, 1 fail",
                "  db1  restart  4.1s",
                "  db2  facts    0.3s");
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(23));
    }

    @Test
    void manyRunningHostsEndInACountLine() {
        FleetBoard b = new FleetBoard(clock);
        List<String> hosts = List.of("h1", "h2", "h3", "h4", "h5");
        b.hosts(hosts);
        hosts.forEach(b::started);
        List<String> lines = new LiveFrame(3).render(b.snapshot(), clock.millis(), 80, false);
        assertThat(lines).containsExactly(
                "hosts 5: 0 done, 0 failed, 5 running, 0 waiting  0.0s",
                "  h1  connect  0.0s",
                "  h2  connect  0.0s",
                "  ... and 3 more running");
    }

    @Test
    void colourMarksDoneAndFailedOnlyWhenAskedAndTakesNoColumns() {
        String colored = new LiveFrame(12).render(fleet().snapshot(), clock.millis(), 100, true).get(0);
        assertThat(colored).contains("\033[32m1 done\033[0m").contains("\033[31m1 failed\033[0m");
        assertThat(colored.replaceAll("\033\\[[0-9;]*m", "")).isEqualTo("hosts 5: 1 done, 1 failed, 2 running, 1 waiting  5.1s");
        String cut = new LiveFrame(12).render(fleet().snapshot(), clock.millis(), 24, true).get(0);
        assertThat(cut.replaceAll("\033\\[[0-9;]*m", "")).isEqualTo("hosts 5: 1 done, 1 fail");
        assertThat(new LiveFrame(12).render(fleet().snapshot(), clock.millis(), 100, false)).noneMatch(l -> l.contains("\033"));
    }

    @Test
    void elapsedTimes() {
        assertThat(LiveFrame.elapsed(0)).isEqualTo("0.0s");
        assertThat(LiveFrame.elapsed(59_949)).isEqualTo("59.9s");
        assertThat(LiveFrame.elapsed(125_000)).isEqualTo("2m05s");
        assertThat(LiveFrame.elapsed(-5)).isEqualTo("0.0s");
    }
}
