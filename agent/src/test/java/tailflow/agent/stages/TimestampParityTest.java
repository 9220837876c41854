package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tailflow.agent.pipeline.Labels;

/**
 * Go's time.Parse as Promtail's timestamp stage uses it (Promtail util.go convertDateLayout with
 * time.Parse, Local = UTC as in Promtail's container): cases from Go's time/format_test.go parseTests
 * and from format.go's skip, parseTimeZone, parseSignedOffset and the zone offset range checks.
 */
class TimestampParityTest {
    private static final long UNCHANGED = 1_000L;
    private final Run run = new Run();

    private long parse(String format, String value) {
        Step s = run.step(TimestampStage.Spec.of("ts", format, List.of(), Optional.empty(), Optional.of("skip")));
        return run.one(s, Run.item("x", Labels.empty(), Map.of("ts", value))).timestampNanos();
    }

    private static long nanos(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        // Go parseTests: named layouts, zone abbreviations unknown in UTC count as offset 0
        "ANSIC|Thu Feb  4 21:00:57 2010|2010-02-04T21:00:57Z",
        "UnixDate|Thu Feb  4 21:00:57 PST 2010|2010-02-04T21:00:57Z",
        "RubyDate|Thu Feb 04 21:00:57 -0800 2010|2010-02-05T05:00:57Z",
        "RFC850|Thursday, 04-Feb-10 21:00:57 PST|2010-02-04T21:00:57Z",
        "RFC1123Z|Thu, 04 Feb 2010 21:00:57 -0800|2010-02-05T05:00:57Z",
        "RFC3339|2010-02-04T21:00:57-08:00|2010-02-05T05:00:57Z",
        "2006-01-02 15:04:05-07|2010-02-04 21:00:57-08|2010-02-05T05:00:57Z",
        // optional fractional seconds after the seconds, whatever follows in the layout
        "ANSIC|Thu Feb  4 21:00:57.0 2010|2010-02-04T21:00:57Z",
        "UnixDate|Thu Feb  4 21:00:57.01 PST 2010|2010-02-04T21:00:57.01Z",
        "RubyDate|Thu Feb 04 21:00:57.012 -0800 2010|2010-02-05T05:00:57.012Z",
        "RFC1123Z|Thu, 04 Feb 2010 21:00:57.01234 -0800|2010-02-05T05:00:57.01234Z",
        "RFC3339|2010-02-04T21:00:57.012345678-08:00|2010-02-05T05:00:57.012345678Z",
        // the amount of white space does not matter, nor does the case of names
        "ANSIC|Thu Feb 4 21:00:57 2010|2010-02-04T21:00:57Z",
        "ANSIC|Thu      Feb     4     21:00:57     2010|2010-02-04T21:00:57Z",
        "ANSIC|THU FEB 4 21:00:57 2010|2010-02-04T21:00:57Z",
        "ANSIC|thu feb 4 21:00:57 2010|2010-02-04T21:00:57Z",
        "2006-01-02 15:04:05|2010-02-04   21:00:57|2010-02-04T21:00:57Z",
        // fractional seconds in the layout
        "Mon Jan _2 15:04:05.000 2006|Thu Feb  4 21:00:57.012 2010|2010-02-04T21:00:57.012Z",
        "Mon Jan _2 15:04:05,000 2006|Thu Feb  4 21:00:57,012 2010|2010-02-04T21:00:57.012Z",
        "2006-01-02 15:04:05.999|2010-02-04 21:00:57.012345678|2010-02-04T21:00:57.012345678Z",
        "2006-01-02 15:04:05.999999999|2010-02-04 21:00:57.0123|2010-02-04T21:00:57.0123Z",
        "2006-01-02 15:04:05.999999999|2010-02-04 21:00:57.0123456789123|2010-02-04T21:00:57.012345678Z",
        // day of year
        "2006-01-02 002 15:04:05|2010-02-04 035 21:00:57|2010-02-04T21:00:57Z",
        "2006-002 15:04:05|2010-035 21:00:57|2010-02-04T21:00:57Z",
        "200600201 15:04:05|201003502 21:00:57|2010-02-04T21:00:57Z",
        // zone names: "+03" is an unnamed zone (offset 0), GMT+N is N hours
        "2006-01-02 15:04:05 MST|2024-03-04 05:06:07 +03|2024-03-04T05:06:07Z",
        "2006-01-02 15:04:05 MST|2024-03-04 05:06:07 GMT+3|2024-03-04T02:06:07Z",
        "2006-01-02 15:04:05 MST|2024-03-04 05:06:07 UTC|2024-03-04T05:06:07Z",
        // offsets of 24 hours or 60 minutes are accepted
        "RFC3339|2024-03-04T05:06:07+24:00|2024-03-03T05:06:07Z",
        "2006-01-02T15:04:05-0700|2024-03-04T05:06:07-0060|2024-03-04T06:06:07Z",
    })
    void parsesAsGoTimeParse(String format, String value, String expected) {
        assertThat(parse(format, value)).isEqualTo(nanos(expected));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "RFC3339|2024-03-04T05:06:07+25:00",
        "2006-01-02T15:04:05-0700|2024-03-04T05:06:07-0061",
        "2006-01-02 15:04:05 MST|2024-03-04 05:06:07 GMT+25",
        "2006-01-02 15:04:05 MST|2024-03-04 05:06:07 +24",
        "2006-01-02 15:04:05 MST|2024-03-04 05:06:07 -0430",
        "2006-01-02 15:04:05 MST|2024-03-04 05:06:07 Utc",
        "2006-01-02 15:04:05|2024-03-0405:06:07",
        "2006-01-02 15:04:05|'2024-03-04 05:06:07 '",
        "RFC3339|2010-02-04T21:00:57.-08:00",
        "Mon Jan _2 15:04:05.000 2006|Thu Feb  4 21:00:57.01 2010",
        "2006-01-02 15:04:05|2010-02-30 21:00:57",
        "2006-01-02 15:04:05|2010-02-04 24:00:57",
        // Go looks past literal text for a fraction in the layout before taking one from the value
        "2006-01-02 15:04:05x.000|2024-03-04 05:06:07.5x.123",
    })
    void failsAsGoTimeParse(String format, String value) {
        assertThat(parse(format, value)).isEqualTo(UNCHANGED);
    }
}
