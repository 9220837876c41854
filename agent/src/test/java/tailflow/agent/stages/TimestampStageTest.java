package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tailflow.agent.pipeline.Labels;

/** The timestamp stage and Go's layouts: cases from Promtail's timestamp_test and util_test. */
class TimestampStageTest {
    private final Run run = new Run();

    private long parse(String format, String location, String value) {
        Step s = run.step(TimestampStage.Spec.of("ts", format, List.of(), Optional.ofNullable(location), Optional.of("skip")));
        return run.one(s, Run.item("x", Labels.empty(), Map.of("ts", value))).timestampNanos();
    }

    private static long nanos(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @ParameterizedTest(name = "{0} {2}")
    @CsvSource(delimiter = '|', value = {
        "RFC3339|                |2106-01-02T23:04:05-04:00|2106-01-03T03:04:05Z",
        "2006-01-02T15:04:05Z07:00|  |2106-01-02T23:04:05-04:00|2106-01-03T03:04:05Z",
        "Unix|                   |1562708916|2019-07-09T21:48:36Z",
        "Unix|                   |1562708916.414123|2019-07-09T21:48:36.414123Z",
        "Unix|                   |1562708916.000000123|2019-07-09T21:48:36.000000123Z",
        "UnixMs|                 |1562708916414|2019-07-09T21:48:36.414Z",
        "UnixUs|                 |1562708916414123|2019-07-09T21:48:36.414123Z",
        "UnixNs|                 |1562708916000000123|2019-07-09T21:48:36.000000123Z",
        "2006-01-02 15:04:05|America/New_York|2019-07-22 20:29:32|2019-07-23T00:29:32Z",
        "06 Jan 02 15:04:05|     |19 Jul 15 01:02:03|2019-07-15T01:02:03Z",
        "2006 Jan 02 15:04:05|America/New_York|2019 Jul 15 01:02:03|2019-07-15T05:02:03Z",
        "RFC3339Nano|            |2019-10-01T01:02:03.400000000Z|2019-10-01T01:02:03.400Z",
        "RFC3339Nano|            |2019-10-01T01:02:03Z|2019-10-01T01:02:03Z",
        "RFC3339|                |2019-10-01T01:02:03.123+02:00|2019-09-30T23:02:03.123Z",
        "RFC1123Z|               |Mon, 02 Jan 2006 15:04:05 -0700|2006-01-02T22:04:05Z",
        "RFC1123|                |Mon, 02 Jan 2006 15:04:05 UTC|2006-01-02T15:04:05Z",
        "ANSIC|                  |Mon Jan  2 15:04:05 2006|2006-01-02T15:04:05Z",
        "RFC822Z|                |02 Jan 06 15:04 -0700|2006-01-02T22:04:00Z",
        "RFC850|                 |Monday, 02-Jan-06 15:04:05 GMT|2006-01-02T15:04:05Z",
        "02/Jan/2006:15:04:05 -0700||25/Jan/2000:14:00:01 -0500|2000-01-25T19:00:01Z",
        "2006-01-02 15:04:05.000||2024-03-04 05:06:07.089|2024-03-04T05:06:07.089Z",
        "2006-01-02 15:04:05,000||2024-03-04 05:06:07,089|2024-03-04T05:06:07.089Z",
        "2006-01-02T15:04:05.999999Z07:00||2024-03-04T05:06:07Z|2024-03-04T05:06:07Z",
        "2006-01-02 3:04:05 PM|  |2024-03-04 3:06:07 PM|2024-03-04T15:06:07Z",
        "2006-01-02 03:04:05 pm| |2024-03-04 12:06:07 am|2024-03-04T00:06:07Z",
        "January 2, 2006 15:04|  |March 4, 2024 05:06|2024-03-04T05:06:00Z",
        "2006-01-02T15:04:05-07|  |2024-03-04T05:06:07+01|2024-03-04T04:06:07Z",
        "20060102150405|  |20240304050607|2024-03-04T05:06:07Z",
    })
    void parsesAsGo(String format, String location, String value, String expected) {
        assertThat(parse(format, location, value)).isEqualTo(nanos(expected));
    }

    @Test
    void fractionAfterSecondsIsAcceptedWithoutLayout() {
        assertThat(parse("2006-01-02 15:04:05", null, "2024-03-04 05:06:07.5")).isEqualTo(nanos("2024-03-04T05:06:07.5Z"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "RFC3339|2024-03-04 05:06:07",
        "RFC3339|2024-13-04T05:06:07Z",
        "RFC3339|2024-02-30T05:06:07Z",
        "2006-01-02|2024-03-04 extra",
        "Unix|12a",
        "UnixMs|1.5",
        "2006-01-02 15:04:05.000|2024-03-04 05:06:07.08",
    })
    void failuresKeepTheTimestampWithSkip(String format, String value) {
        assertThat(parse(format, null, value)).isEqualTo(1_000L);
    }

    @Test
    void yearlessLayoutsTakeTheYearNearNow() {
        run.wall = Clock.fixed(Instant.parse("2024-07-15T12:00:00Z"), ZoneOffset.UTC);
        assertThat(parse("Jan 02 15:04:05", null, "Jul 15 01:02:03")).isEqualTo(nanos("2024-07-15T01:02:03Z"));
        assertThat(parse("Jan _2 15:04:05", "America/New_York", "Jul  5 01:02:03"))
                .isEqualTo(LocalDateTime.of(2024, 7, 5, 1, 2, 3).atZone(ZoneId.of("America/New_York")).toInstant().getEpochSecond() * 1_000_000_000L);
        run.wall = Clock.fixed(Instant.parse("2025-01-01T00:10:00Z"), ZoneOffset.UTC);
        assertThat(parse("Jan 02 15:04:05", null, "Dec 31 23:59:59")).isEqualTo(nanos("2024-12-31T23:59:59Z"));
        run.wall = Clock.fixed(Instant.parse("2024-12-31T23:50:00Z"), ZoneOffset.UTC);
        assertThat(parse("Jan 02 15:04:05", null, "Jan 01 00:00:01")).isEqualTo(nanos("2025-01-01T00:00:01Z"));
    }

    @Test
    void theSameTextAgainFollowsTheClockIntoTheNextYear() {
        Instant[] now = {Instant.parse("2026-05-31T23:59:59Z")};
        run.wall = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        Step s = run.step(TimestampStage.Spec.of("ts", "Jan _2 15:04:05", List.of(), Optional.empty(), Optional.of("skip")));
        java.util.function.Supplier<Long> parseJune = () ->
                run.one(s, Run.item("x", Labels.empty(), Map.of("ts", "Jun  1 00:00:00"))).timestampNanos();
        assertThat(parseJune.get()).isEqualTo(nanos("2026-06-01T00:00:00Z"));
        assertThat(parseJune.get()).isEqualTo(nanos("2026-06-01T00:00:00Z"));
        now[0] = Instant.parse("2027-01-01T00:00:00Z"); // a new month: the remembered answer no longer holds
        assertThat(parseJune.get()).isEqualTo(nanos("2027-06-01T00:00:00Z"));
        assertThat(run.one(s, Run.item("x", Labels.empty(), Map.of("ts", "Dec 31 23:59:59"))).timestampNanos())
                .isEqualTo(nanos("2026-12-31T23:59:59Z"));
    }

    @Test
    void fudgeKeepsEachStreamsLatestGoodTimestampWhenStreamsInterleave() {
        Step s = run.step(TimestampStage.Spec.of("time", "RFC3339Nano", List.of(), Optional.empty(), Optional.of("fudge")));
        Labels a = Labels.of("app", "a");
        Labels b = Labels.of("app", "b");
        java.util.function.BiFunction<Labels, String, Long> at = (l, t) ->
                run.one(s, Run.item("x", l, t == null ? Map.of() : Map.of("time", t))).timestampNanos();
        at.apply(a, "2020-01-01T00:00:01Z");
        at.apply(a, "2020-01-01T00:00:02Z");
        at.apply(b, "2020-01-01T00:00:05Z");
        at.apply(Labels.of("app", "a"), "2020-01-01T00:00:03Z"); // an equal set, another instance
        at.apply(b, "2020-01-01T00:00:06Z");
        assertThat(at.apply(a, null)).isEqualTo(nanos("2020-01-01T00:00:03Z") + 1);
        assertThat(at.apply(b, "bad")).isEqualTo(nanos("2020-01-01T00:00:06Z") + 1);
        assertThat(at.apply(b, null)).isEqualTo(nanos("2020-01-01T00:00:06Z") + 2);
        assertThat(at.apply(a, null)).isEqualTo(nanos("2020-01-01T00:00:03Z") + 2);
    }

    @Test
    void fallbackFormatsAreTriedInOrder() {
        Step s = run.step(TimestampStage.Spec.of("ts", "RFC3339", List.of("UnixMs", "2006-01-02"), Optional.empty(), Optional.empty()));
        assertThat(run.one(s, Run.item("x", Labels.empty(), Map.of("ts", "1562708916414"))).timestampNanos())
                .isEqualTo(nanos("2019-07-09T21:48:36.414Z"));
        assertThat(run.one(s, Run.item("x", Labels.empty(), Map.of("ts", "2019-07-09"))).timestampNanos())
                .isEqualTo(nanos("2019-07-09T00:00:00Z"));
    }

    @Test
    void fudgeUsesTheLastGoodTimestampOfTheStreamPlusOneNanosecond() {
        Step s = run.step(TimestampStage.Spec.of("time", "RFC3339Nano", List.of(), Optional.empty(), Optional.of("fudge")));
        Labels a = Labels.of("app", "a");
        Labels b = Labels.of("app", "b");
        assertThat(run.one(s, Run.item("x", a, Map.of())).timestampNanos()).isEqualTo(1_000L); // nothing known yet
        assertThat(run.one(s, Run.item("x", a, Map.of("time", "2019-10-01T01:02:03.4Z"))).timestampNanos())
                .isEqualTo(nanos("2019-10-01T01:02:03.4Z"));
        assertThat(run.one(s, Run.item("x", a, Map.of())).timestampNanos()).isEqualTo(nanos("2019-10-01T01:02:03.4Z") + 1);
        assertThat(run.one(s, Run.item("x", a, Map.of("time", "bad"))).timestampNanos()).isEqualTo(nanos("2019-10-01T01:02:03.4Z") + 2);
        assertThat(run.one(s, Run.item("x", b, Map.of())).timestampNanos()).isEqualTo(1_000L);
        // a numeric extracted value (json) is parsed through its string form
        Step unix = run.step(TimestampStage.Spec.of("t", "Unix", List.of(), Optional.empty(), Optional.empty()));
        assertThat(run.one(unix, Run.item("x", a, Map.of("t", 1562708916.0))).timestampNanos()).isEqualTo(nanos("2019-07-09T21:48:36Z"));
    }

    @Test
    void configErrors() {
        assertThatThrownBy(() -> TimestampStage.Spec.of("", "RFC3339", List.of(), Optional.empty(), Optional.empty()))
                .hasMessageContaining("source value is required");
        assertThatThrownBy(() -> TimestampStage.Spec.of("ts", "", List.of(), Optional.empty(), Optional.empty()))
                .hasMessageContaining("format is required");
        assertThatThrownBy(() -> TimestampStage.Spec.of("ts", "RFC3339", List.of(), Optional.of("Mars/Olympus"), Optional.empty()))
                .hasMessageContaining("invalid location");
        assertThatThrownBy(() -> TimestampStage.Spec.of("ts", "RFC3339", List.of(), Optional.empty(), Optional.of("panic")))
                .hasMessageContaining("invalid action on failure");
        assertThatThrownBy(() -> TimestampStage.Spec.of("ts", "rfc3339nano", List.of(), Optional.empty(), Optional.empty()))
                .hasMessageContaining("is not a time layout");
        assertThatThrownBy(() -> TimestampStage.Spec.of("ts", "RFC3339", List.of("yyyy-MM-dd"), Optional.empty(), Optional.empty()))
                .hasMessageContaining("is not a time layout");
    }
}
