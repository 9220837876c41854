package tailflow.agent.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tailflow.agent.config.SflowConfig;
import tailflow.agent.config.SflowConfig.PcapSource;
import tailflow.agent.config.SflowConfig.SpeedRange;

class SamplingPlanTest {

    static NetInterface iface(String name, int index, long speedBps) {
        return new NetInterface(name, index, index, 1, speedBps, 1, true, true, false, Optional.empty(), List.of());
    }

    static SflowConfig config(Map<Long, Integer> bySpeed, List<PcapSource> pcaps) {
        return new SflowConfig(Optional.empty(), Optional.empty(), 20, 400, bySpeed, 128, 1400, List.of(), pcaps, true);
    }

    static PcapSource speed(long min, long max) {
        return new PcapSource(Optional.empty(), Optional.of(new SpeedRange(min, max)), Optional.empty(), false);
    }

    static PcapSource dev(String name, Integer sampling) {
        return new PcapSource(Optional.of(name), Optional.empty(), Optional.ofNullable(sampling), false);
    }

    @Test
    void labDefaultSelectsOnlyKnownSpeedsAndDerivesRateFromLinkSpeed() {
        List<NetInterface> ifs = List.of(iface("lo", 1, -1), iface("eth0", 2, 1_000_000_000L),
                iface("veth1", 3, 10_000_000_000L), iface("slow", 4, 10_000_000L), iface("wg0", 5, -1));
        SamplingPlan plan = SamplingPlan.resolve(config(Map.of(), List.of(speed(1, Long.MAX_VALUE))), ifs);

        assertThat(plan.entries()).extracting(e -> e.iface().name() + "=" + e.samplingRate())
                .containsExactly("eth0=1000", "veth1=10000", "slow=100");
        assertThat(plan.find("slow").orElseThrow().why()).contains("minimum 100");
    }

    @Test
    void samplingPerSpeedWinsOverTheRatioAndPcapSamplingWinsOverAll() {
        List<NetInterface> ifs = List.of(iface("eth0", 2, 1_000_000_000L), iface("eth1", 3, 1_000_000_000L),
                iface("tun0", 4, -1));
        SflowConfig cfg = config(Map.of(1_000_000_000L, 250),
                List.of(dev("eth1", 64), dev("tun0", null), speed(1, Long.MAX_VALUE)));
        SamplingPlan plan = SamplingPlan.resolve(cfg, ifs);

        assertThat(plan.find("eth1").orElseThrow().samplingRate()).isEqualTo(64);
        assertThat(plan.find("eth0").orElseThrow().samplingRate()).isEqualTo(250);
        assertThat(plan.find("eth0").orElseThrow().why()).isEqualTo("sampling.1G");
        assertThat(plan.find("tun0").orElseThrow().samplingRate()).as("plain sampling when speed unknown").isEqualTo(400);
    }

    @Test
    void speedRangeBoundsAreInclusiveAndMissingDevicesAreReported() {
        List<NetInterface> ifs = List.of(iface("a", 2, 1_000_000_000L), iface("b", 3, 10_000_000_000L),
                iface("c", 4, 40_000_000_000L));
        SamplingPlan plan = SamplingPlan.resolve(
                config(Map.of(), List.of(speed(1_000_000_000L, 10_000_000_000L), dev("eth9", null))), ifs);
        assertThat(plan.entries()).extracting(e -> e.iface().name()).containsExactly("a", "b");
        assertThat(plan.missingDevices()).containsExactly("eth9");
    }

    @Test
    void formatsSpeedsLikeSamplingKeys() {
        assertThat(SamplingPlan.formatSpeed(10_000_000_000L)).isEqualTo("10G");
        assertThat(SamplingPlan.formatSpeed(100_000_000L)).isEqualTo("100M");
        assertThat(SamplingPlan.formatSpeed(2_500_000_000L)).isEqualTo("2500M");
    }
}
