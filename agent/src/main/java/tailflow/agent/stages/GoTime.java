package tailflow.agent.stages;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * A Go {@code time.Time} inside a template (what sprig's now, toDate and dateModify return):
 * an instant and the location it is shown in. {@link #format} is Go's Time.Format with a
 * reference-time layout; {@link #toString} is Go's Time.String (%v).
 */
record GoTime(Instant instant, ZoneId zone) implements GoStruct {

    static final String STRING_LAYOUT = "2006-01-02 15:04:05.999999999 -0700 MST";
    /** Go's zero Time (what toDate returns for text it cannot parse). */
    static final GoTime ZERO = new GoTime(Instant.parse("0001-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Override
    public String toString() {
        return format(STRING_LAYOUT);
    }

    /** The niladic methods of time.Time a template may call. */
    @Override
    public Object field(String name) {
        ZonedDateTime t = instant.atZone(zone);
        return switch (name) {
            case "Unix" -> instant.getEpochSecond();
            case "UnixMilli" -> instant.toEpochMilli();
            case "UnixNano" -> instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
            case "Year" -> (long) t.getYear();
            case "YearDay" -> (long) t.getDayOfYear();
            case "Month" -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case "Weekday" -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case "Day" -> (long) t.getDayOfMonth();
            case "Hour" -> (long) t.getHour();
            case "Minute" -> (long) t.getMinute();
            case "Second" -> (long) t.getSecond();
            case "Nanosecond" -> (long) t.getNano();
            case "UTC" -> in(ZoneOffset.UTC);
            case "Local" -> in(ZoneId.systemDefault());
            case "String" -> toString();
            default -> null;
        };
    }

    long unixSeconds() {
        return instant.getEpochSecond();
    }

    GoTime in(ZoneId z) {
        return new GoTime(instant, z);
    }

    /** Go's Time.Format: each layout element of the reference time replaced by this time's value. */
    String format(String layout) {
        ZonedDateTime t = instant.atZone(zone);
        int offset = t.getOffset().getTotalSeconds();
        StringBuilder b = new StringBuilder();
        for (GoTimeLayout.Chunk c : GoTimeLayout.split(layout)) {
            if (c.kind() == null) {
                b.append(c.literal());
                continue;
            }
            switch (c.kind()) {
                case YEAR -> pad(b, Math.floorMod(t.getYear(), 100), 2, '0');
                case LONG_YEAR -> pad(b, t.getYear(), 4, '0');
                case MONTH -> b.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case LONG_MONTH -> b.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case NUM_MONTH -> b.append(t.getMonthValue());
                case ZERO_MONTH -> pad(b, t.getMonthValue(), 2, '0');
                case WEEKDAY -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case LONG_WEEKDAY -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case DAY -> b.append(t.getDayOfMonth());
                case UNDER_DAY -> pad(b, t.getDayOfMonth(), 2, ' ');
                case ZERO_DAY -> pad(b, t.getDayOfMonth(), 2, '0');
                case UNDER_YEAR_DAY -> pad(b, t.getDayOfYear(), 3, ' ');
                case ZERO_YEAR_DAY -> pad(b, t.getDayOfYear(), 3, '0');
                case HOUR -> pad(b, t.getHour(), 2, '0');
                case HOUR12 -> b.append(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
                case ZERO_HOUR12 -> pad(b, t.getHour() % 12 == 0 ? 12 : t.getHour() % 12, 2, '0');
                case MINUTE -> b.append(t.getMinute());
                case ZERO_MINUTE -> pad(b, t.getMinute(), 2, '0');
                case SECOND -> b.append(t.getSecond());
                case ZERO_SECOND -> pad(b, t.getSecond(), 2, '0');
                case PM_UPPER -> b.append(t.getHour() >= 12 ? "PM" : "AM");
                case PM_LOWER -> b.append(t.getHour() >= 12 ? "pm" : "am");
                case FRAC0, FRAC9 -> fraction(b, t.getNano(), c);
                case TZ -> {
                    String name = abbreviation(t);
                    if (name.isEmpty()) {
                        offset(b, offset, false, false, false);
                    } else {
                        b.append(name);
                    }
                }
                default -> zone(b, c.kind(), offset);
            }
        }
        return b.toString();
    }

    private static void zone(StringBuilder b, GoTimeLayout.Kind k, int offset) {
        boolean iso = k.name().startsWith("ISO");
        if (iso && offset == 0) {
            b.append('Z');
            return;
        }
        boolean colon = k.name().contains("COLON");
        boolean seconds = k.name().endsWith("SEC");
        boolean hoursOnly = k.name().endsWith("SHORT");
        offset(b, offset, colon, seconds, hoursOnly);
    }

    private static void offset(StringBuilder b, int offset, boolean colon, boolean seconds, boolean hoursOnly) {
        b.append(offset < 0 ? '-' : '+');
        int abs = Math.abs(offset);
        pad(b, abs / 3600, 2, '0');
        if (!hoursOnly) {
            b.append(colon ? ":" : "");
            pad(b, abs / 60 % 60, 2, '0');
        }
        if (seconds) {
            b.append(colon ? ":" : "");
            pad(b, abs % 60, 2, '0');
        }
    }

    /** ,000 / .000 always show their digits; .999 drops trailing zeros, and the separator when nothing is left. */
    private static void fraction(StringBuilder b, int nanos, GoTimeLayout.Chunk c) {
        String digits = String.format("%09d", nanos).substring(0, c.digits());
        if (c.kind() == GoTimeLayout.Kind.FRAC9) {
            int end = digits.length();
            while (end > 0 && digits.charAt(end - 1) == '0') {
                end--;
            }
            digits = digits.substring(0, end);
            if (digits.isEmpty()) {
                return;
            }
        }
        b.append(c.separator()).append(digits);
    }

    /** The zone's abbreviation as Go's tz data names it; a fixed offset other than UTC has none. */
    private static String abbreviation(ZonedDateTime t) {
        ZoneId z = t.getZone();
        if (z instanceof ZoneOffset o) {
            return o.getTotalSeconds() == 0 ? "UTC" : "";
        }
        if (z.getId().equals("UTC") || z.getId().equals("Etc/UTC")) {
            return "UTC";
        }
        return DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH).format(t);
    }

    private static void pad(StringBuilder b, int v, int width, char fill) {
        String s = Integer.toString(Math.abs(v));
        if (v < 0) {
            b.append('-');
        }
        for (int i = s.length(); i < width; i++) {
            b.append(fill);
        }
        b.append(s);
    }
}
