package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * sprig v3.3.0's date functions as Promtail's template stage has them (date.go; Go's Time.Format,
 * Time.String and Duration.String). 1700000000 is 2023-11-14T22:13:20Z, a Tuesday.
 */
class SprigDatesTest {
    private final Run run = new Run();

    private Object render(String template) {
        return TemplateParityTest.render(run, template, "90");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '~', value = {
        "{{ dateInZone \"2006-01-02T15:04:05Z07:00\" 1700000000 \"UTC\" }}~2023-11-14T22:13:20Z",
        "{{ dateInZone \"Mon Jan _2 15:04:05 MST 2006\" 1700000000 \"UTC\" }}~Tue Nov 14 22:13:20 UTC 2023",
        "{{ dateInZone \"02/01/06 03:04:05PM -07:00\" 1700000000 \"Asia/Kolkata\" }}~15/11/23 03:43:20AM +05:30",
        "{{ dateInZone \"January 2, 2006 3pm MST\" 1700000000 \"Europe/Berlin\" }}~November 14, 2023 11pm CET",
        "{{ date_in_zone \"2006-002 Z0700\" 1700000000 \"no/such_zone\" }}~2023-318 Z",
        "{{ htmlDateInZone 1700000000 \"UTC\" }}~2023-11-14",
        "{{ toDate \"2006-01-02 15:04:05.000 -0700\" \"2024-02-29 12:30:45.120 +0200\" | unixEpoch }}~1709202645",
        "{{ toDate \"2006-01-02T15:04:05Z07:00\" \"2024-02-29T12:30:45Z\" }}~2024-02-29 12:30:45 +0000 UTC",
        "{{ toDate \"2006-01-02T15:04:05.999999999Z07:00\" \"2024-02-29T12:30:45.5+02:00\" }}~2024-02-29 12:30:45.5 +0200 +0200",
        "{{ toDate \"2006-01-02\" \"not a date\" }}~0001-01-01 00:00:00 +0000 UTC",
        "{{ toDate \"2006-01-02T15:04:05Z07:00\" \"2024-02-29T12:30:45Z\" | dateModify \"-1h30m\" | unixEpoch }}~1709204445",
        "{{ toDate \"2006-01-02T15:04:05Z07:00\" \"2024-02-29T12:30:45Z\" | date_modify \"nonsense\" | unixEpoch }}~1709209845",
        "{{ dateInZone \"15:04:05.000000 .999 ,000\" (toDate \"2006-01-02T15:04:05Z07:00\" \"2024-02-29T12:30:45.01Z\") \"UTC\" }}~12:30:45.010000 .01 ,010",
        "{{ duration .v }}~1m30s",
        "{{ duration \"3661\" }}~1h1m1s",
        "{{ duration \"0\" }} {{ duration \"x\" }}~0s 0s",
        "{{ duration \"-5\" }}~-5s",
        "{{ durationRound \"2h10m\" }} {{ durationRound \"49h\" }} {{ durationRound \"800h\" }} {{ durationRound \"9000h\" }}~2h 2d 1mo 1y",
        "{{ durationRound \"1s\" }} {{ durationRound \"1.5s\" }} {{ durationRound \"-3m\" }}~0s 1s 3m",
        "{{ typeOf (toDate \"2006\" \"2020\") }}~time.Time",
    })
    void dateFunctions(String template, String expected) {
        assertThat(render(template)).isEqualTo(expected);
    }

    @Test
    void nowAndAgoAreSane() {
        assertThat((String) render("{{ now | unixEpoch }}")).matches("1[7-9][0-9]{8}");
        assertThat(render("{{ ago now }}")).isEqualTo("0s");
        assertThat(render("{{ now | date \"2006\" }}")).isEqualTo(render("{{ date \"2006\" .v }}")); // a string is "now"
        assertThat((String) render("{{ ago 1700000000 }}")).matches("[0-9]+h[0-9]+m[0-9]+s");
    }

    @Test
    void aTimeArgumentIsRequiredWhereSprigTypesIt() {
        assertThat(TemplateParityTest.render(run, "{{ unixEpoch .v }}", "x")).isNull();
        assertThat(run.out).isNotEmpty();
    }
}
