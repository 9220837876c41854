package tailflow.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void goDurations() {
        assertThat(Units.duration("1s")).contains(Duration.ofSeconds(1));
        assertThat(Units.duration("500ms")).contains(Duration.ofMillis(500));
        assertThat(Units.duration("5m")).contains(Duration.ofMinutes(5));
        assertThat(Units.duration("1m30s")).contains(Duration.ofSeconds(90));
        assertThat(Units.duration("1.5h")).contains(Duration.ofMinutes(90));
        assertThat(Units.duration("250us")).contains(Duration.ofNanos(250_000));
        assertThat(Units.duration("0")).contains(Duration.ZERO);
        assertThat(Units.duration("5")).isEmpty();
        assertThat(Units.duration("5 s")).isEmpty();
        assertThat(Units.duration("1d")).isEmpty();
        assertThat(Units.duration("s")).isEmpty();
    }

    @Test
    void durationsFormatBackCompactly() {
        assertThat(Units.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Units.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(Units.format(Duration.ofSeconds(5400))).isEqualTo("1h30m");
        assertThat(Units.format(Duration.ZERO)).isEqualTo("0s");
        for (String s : new String[] {"1s", "500ms", "5m", "1h30m", "1m1s"}) {
            assertThat(Units.format(Units.duration(s).orElseThrow())).isEqualTo(s);
        }
    }

    @Test
    void byteSizes() {
        assertThat(Units.bytes("1048576")).contains(1_048_576L);
        assertThat(Units.bytes("1MiB")).contains(1_048_576L);
        assertThat(Units.bytes("256KiB")).contains(262_144L);
        assertThat(Units.bytes("1MB")).contains(1_000_000L);
        assertThat(Units.bytes("1.5KiB")).contains(1536L);
        assertThat(Units.bytes("lots")).isEmpty();
        assertThat(Units.bytes("-1")).isEmpty();
    }

    @Test
    void linkSpeedsAndRanges() {
        assertThat(Units.speed("100M")).contains(100_000_000L);
        assertThat(Units.speed("1G")).contains(1_000_000_000L);
        assertThat(Units.speed("2.5G")).contains(2_500_000_000L);
        assertThat(Units.speedRange("1-")).contains(new SflowConfig.SpeedRange(1, Long.MAX_VALUE));
        assertThat(Units.speedRange("1G-10G")).contains(new SflowConfig.SpeedRange(1_000_000_000L, 10_000_000_000L));
        assertThat(Units.speedRange("10G")).contains(new SflowConfig.SpeedRange(10_000_000_000L, 10_000_000_000L));
        assertThat(Units.speedRange("-1G")).contains(new SflowConfig.SpeedRange(0, 1_000_000_000L));
        assertThat(Units.speedRange("10G-1G")).isEqualTo(Optional.empty());
        assertThat(Units.speedRange("-")).isEmpty();
        assertThat(Units.speedRange("fast")).isEmpty();
    }
}
