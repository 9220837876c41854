package tailflow.agent.stages;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;

/**
 * One timestamp {@code format} of Promtail's timestamp stage: a named Go layout (ANSIC ...
 * RFC3339Nano, parsed in UTC as Promtail does), Unix/UnixMs/UnixUs/UnixNs, or a reference-time
 * layout parsed in {@code location}. A layout without a year (syslog's "Jan _2 15:04:05") gets the
 * year that puts the time closest to now, across new year's eve as Promtail does.
 */
final class TimestampFormat {
    static final Map<String, String> NAMED = Map.of(
            "ANSIC", "Mon Jan _2 15:04:05 2006",
            "UnixDate", "Mon Jan _2 15:04:05 MST 2006",
            "RubyDate", "Mon Jan 02 15:04:05 -0700 2006",
            "RFC822", "02 Jan 06 15:04 MST",
            "RFC822Z", "02 Jan 06 15:04 -0700",
            "RFC850", "Monday, 02-Jan-06 15:04:05 MST",
            "RFC1123", "Mon, 02 Jan 2006 15:04:05 MST",
            "RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700",
            "RFC3339", "2006-01-02T15:04:05Z07:00",
            "RFC3339Nano", "2006-01-02T15:04:05.999999999Z07:00");

    private static final java.util.List<String> NAMED_AND_UNIX = java.util.stream.Stream.concat(NAMED.keySet().stream(),
            java.util.stream.Stream.of("Unix", "UnixMs", "UnixUs", "UnixNs")).toList();

    private final String format;
    private final GoTimeLayout layout;
    private final ZoneId location;
    private final Clock clock;
    /** A reference layout without a year: the answer also depends on the current month. */
    private final boolean yearless;
    /**
     * The last text and what it parsed to: log lines come in runs with the same timestamp text
     * (a second's worth of syslog lines), and a parse costs ~2 us under the agent's C1-only JIT.
     * The answer depends on the text alone, and for a layout without a year also on the current
     * month in {@code location}: {@link #monthStartMillis}..{@link #monthEndMillis} is the month
     * the cached answer was made in, and leaving it clears the cache. One instance per stage, so
     * per thread.
     */
    private String lastText;
    private Long lastParsed;
    private long monthStartMillis = Long.MAX_VALUE;
    private long monthEndMillis = Long.MIN_VALUE;
    private int nowYear;
    private int nowMonth;

    private TimestampFormat(String format, GoTimeLayout layout, ZoneId location, Clock clock) {
        this.format = format;
        this.layout = layout;
        this.location = location;
        this.clock = clock;
        this.yearless = layout != null && !layout.hasYear();
    }

    /** Checks a format; a layout without any reference-time element is refused (it could never parse a time). */
    static void check(String format) {
        if (format == null || format.isEmpty()) {
            throw new IllegalArgumentException("timestamp format is required");
        }
        for (String name : NAMED_AND_UNIX) {
            if (!name.equals(format) && name.equalsIgnoreCase(format)) {
                throw new IllegalArgumentException("'" + format + "' is not a time layout; did you mean " + name + "?");
            }
        }
        if (!isUnix(format)) {
            GoTimeLayout l = new GoTimeLayout(NAMED.getOrDefault(format, format));
            if (!l.hasElements()) {
                throw new IllegalArgumentException("'" + format + "' is not a time layout: use a name (RFC3339, Unix, ...)"
                        + " or Go's reference time Mon Jan 2 15:04:05 MST 2006 written as your timestamps are");
            }
        }
    }

    private static boolean isUnix(String f) {
        return f.equals("Unix") || f.equals("UnixMs") || f.equals("UnixUs") || f.equals("UnixNs");
    }

    /** {@code location} null means none given (named layouts and Parse: UTC). */
    static TimestampFormat of(String format, ZoneId location, Clock clock) {
        check(format);
        if (isUnix(format)) {
            return new TimestampFormat(format, null, ZoneOffset.UTC, clock);
        }
        String named = NAMED.get(format);
        if (named != null) {
            return new TimestampFormat(format, new GoTimeLayout(named), ZoneOffset.UTC, clock);
        }
        return new TimestampFormat(format, new GoTimeLayout(format), location == null ? ZoneOffset.UTC : location, clock);
    }

    /** Nanoseconds since the epoch, or null when the text does not parse. */
    Long parse(String text) {
        if (yearless) {
            long now = clock.millis();
            if (now < monthStartMillis || now >= monthEndMillis) {
                startMonth(now);
                lastText = null;
            }
        }
        if (!text.equals(lastText)) {
            lastParsed = parseUncached(text);
            lastText = text;
        }
        return lastParsed;
    }

    private void startMonth(long nowMillis) {
        ZonedDateTime now = java.time.Instant.ofEpochMilli(nowMillis).atZone(location);
        nowYear = now.getYear();
        nowMonth = now.getMonthValue();
        java.time.LocalDate first = now.toLocalDate().withDayOfMonth(1);
        monthStartMillis = first.atStartOfDay(location).toInstant().toEpochMilli();
        monthEndMillis = first.plusMonths(1).atStartOfDay(location).toInstant().toEpochMilli();
    }

    private Long parseUncached(String text) {
        try {
            if (layout == null) {
                return parseUnix(text);
            }
            GoTimeLayout.Fields f = layout.parseFields(text);
            if (!layout.hasYear()) {
                if (f.year != 0) {
                    return null;
                }
                return withYearNearNow(f);
            }
            return GoTimeLayout.toNanos(f, location);
        } catch (GoTimeLayout.ParseError | NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
            return null;
        }
    }

    private long withYearNearNow(GoTimeLayout.Fields f) {
        int year = nowYear;
        if (f.month == 12 && nowMonth == 1) {
            year--;
        } else if (f.month == 1 && nowMonth == 12) {
            year++;
        }
        // Go's AddDate normalises Feb 29 of a non-leap year to Mar 1
        LocalDateTime base = LocalDateTime.of(year, f.month, 1, f.hour, f.minute, f.second, f.nanos).plusDays(f.day - 1);
        f.year = base.getYear();
        f.month = base.getMonthValue();
        f.day = base.getDayOfMonth();
        return GoTimeLayout.toNanos(f, location);
    }

    private Long parseUnix(String t) {
        switch (format) {
            case "Unix" -> {
                if (t.chars().filter(c -> c == '.').count() == 1) {
                    int dot = t.indexOf('.');
                    long sec = goParseInt(t.substring(0, dot));
                    String fracText = t.substring(dot + 1);
                    long frac = goParseInt(fracText);
                    // Promtail scales the fraction through a float64, as written here
                    long nsec = (long) ((double) frac * Math.pow(10, 9 - fracText.length()));
                    return sec * 1_000_000_000L + nsec;
                }
                return goParseInt(t) * 1_000_000_000L;
            }
            case "UnixMs" -> {
                return goParseInt(t) * 1_000_000L;
            }
            case "UnixUs" -> {
                return goParseInt(t) * 1_000L;
            }
            default -> {
                return goParseInt(t);
            }
        }
    }

    /** strconv.ParseInt(s, 10, 64): optional sign, decimal digits only. */
    static long goParseInt(String s) {
        if (s.isEmpty() || s.startsWith("+") && s.length() == 1) {
            throw new NumberFormatException(s);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && !(i == 0 && (c == '-' || c == '+'))) {
                throw new NumberFormatException(s);
            }
        }
        return Long.parseLong(s);
    }

    String format() {
        return format;
    }
}
