package tailflow.agent.stages;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Go's time.Parse for one reference-time layout ("2006-01-02T15:04:05.000Z07:00", "Jan _2 15:04:05"):
 * the layout is split into literal text and elements once, then each value is parsed as Go
 * parses it (fixed and variable-width numbers, month and weekday names, AM/PM, numeric and ISO zone
 * offsets, zone abbreviations, fractional seconds also when the layout has none after the seconds).
 * Parsed without a zone the time is in {@code location} (UTC when none), as time.ParseInLocation.
 *
 * <p>Over 400 lines on purpose: it is one grammar (Go's layout elements) whose element table, value
 * parser and range checks must agree case by case; split apart, each half would need the other's table.
 * TimestampParityTest holds it to Go's own parse tests.
 */
final class GoTimeLayout {
    enum Kind {
        LONG_MONTH, MONTH, NUM_MONTH, ZERO_MONTH, LONG_WEEKDAY, WEEKDAY, DAY, UNDER_DAY, ZERO_DAY, UNDER_YEAR_DAY,
        ZERO_YEAR_DAY, HOUR, HOUR12, ZERO_HOUR12, MINUTE, ZERO_MINUTE, SECOND, ZERO_SECOND, LONG_YEAR, YEAR, PM_UPPER,
        PM_LOWER, TZ, ISO_TZ_SEC, ISO_TZ_COLON_SEC, ISO_TZ, ISO_TZ_SHORT, ISO_TZ_COLON, NUM_TZ_SEC, NUM_TZ_COLON_SEC,
        NUM_TZ, NUM_TZ_SHORT, NUM_TZ_COLON, FRAC0, FRAC9
    }

    /** A literal (kind null) or an element; {@code digits} and {@code separator} ('.' or ',') for fractional seconds. */
    record Chunk(String literal, Kind kind, int digits, char separator) {
        Chunk(String literal, Kind kind, int digits) {
            this(literal, kind, digits, '.');
        }
    }

    private static final String[] LONG_MONTHS = {"January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};
    private static final String[] LONG_DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

    private final String layout;
    private final List<Chunk> chunks;

    GoTimeLayout(String layout) {
        this.layout = layout;
        this.chunks = split(layout);
    }

    String layout() {
        return layout;
    }

    boolean hasElements() {
        return chunks.stream().anyMatch(c -> c.kind != null);
    }

    /** Whether the layout names a year (Promtail treats layouts without 06/2006 as year-less). */
    boolean hasYear() {
        return layout.contains("06");
    }

    static List<Chunk> split(String layout) {
        List<Chunk> out = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < layout.length()) {
            Object[] found = element(layout, i);
            if (found == null) {
                lit.append(layout.charAt(i++));
                continue;
            }
            if (lit.length() > 0) {
                out.add(new Chunk(lit.toString(), null, 0));
                lit.setLength(0);
            }
            int len = (Integer) found[1];
            int prefix = found.length > 3 ? (Integer) found[3] : 0;
            if (prefix > 0) {
                out.add(new Chunk(layout.substring(i, i + prefix), null, 0));
            }
            out.add(new Chunk(null, (Kind) found[0], (Integer) found[2], layout.charAt(i)));
            i += len;
        }
        if (lit.length() > 0) {
            out.add(new Chunk(lit.toString(), null, 0));
        }
        return out;
    }

    /** Go's nextStdChunk at position i: {kind, length, fraction digits[, literal prefix length]} or null. */
    private static Object[] element(String l, int i) {
        char c = l.charAt(i);
        switch (c) {
            case 'J':
                if (l.startsWith("Jan", i)) {
                    return l.startsWith("January", i) ? el(Kind.LONG_MONTH, 7) : el(Kind.MONTH, 3);
                }
                break;
            case 'M':
                if (l.startsWith("Mon", i)) {
                    return l.startsWith("Monday", i) ? el(Kind.LONG_WEEKDAY, 6) : el(Kind.WEEKDAY, 3);
                }
                if (l.startsWith("MST", i)) {
                    return el(Kind.TZ, 3);
                }
                break;
            case '0':
                if (i + 1 < l.length() && l.charAt(i + 1) >= '1' && l.charAt(i + 1) <= '6') {
                    Kind[] k = {Kind.ZERO_MONTH, Kind.ZERO_DAY, Kind.ZERO_HOUR12, Kind.ZERO_MINUTE, Kind.ZERO_SECOND, Kind.YEAR};
                    return el(k[l.charAt(i + 1) - '1'], 2);
                }
                if (l.startsWith("002", i)) {
                    return el(Kind.ZERO_YEAR_DAY, 3);
                }
                break;
            case '1':
                return l.startsWith("15", i) ? el(Kind.HOUR, 2) : el(Kind.NUM_MONTH, 1);
            case '2':
                return l.startsWith("2006", i) ? el(Kind.LONG_YEAR, 4) : el(Kind.DAY, 1);
            case '_':
                if (l.startsWith("_2", i)) {
                    if (l.startsWith("_2006", i)) {
                        return new Object[] {Kind.LONG_YEAR, 5, 0, 1};
                    }
                    return el(Kind.UNDER_DAY, 2);
                }
                if (l.startsWith("__2", i)) {
                    return el(Kind.UNDER_YEAR_DAY, 3);
                }
                break;
            case '3':
                return el(Kind.HOUR12, 1);
            case '4':
                return el(Kind.MINUTE, 1);
            case '5':
                return el(Kind.SECOND, 1);
            case 'P':
                if (l.startsWith("PM", i)) {
                    return el(Kind.PM_UPPER, 2);
                }
                break;
            case 'p':
                if (l.startsWith("pm", i)) {
                    return el(Kind.PM_LOWER, 2);
                }
                break;
            case '-':
                if (l.startsWith("-070000", i)) {
                    return el(Kind.NUM_TZ_SEC, 7);
                }
                if (l.startsWith("-07:00:00", i)) {
                    return el(Kind.NUM_TZ_COLON_SEC, 9);
                }
                if (l.startsWith("-0700", i)) {
                    return el(Kind.NUM_TZ, 5);
                }
                if (l.startsWith("-07:00", i)) {
                    return el(Kind.NUM_TZ_COLON, 6);
                }
                if (l.startsWith("-07", i)) {
                    return el(Kind.NUM_TZ_SHORT, 3);
                }
                break;
            case 'Z':
                if (l.startsWith("Z070000", i)) {
                    return el(Kind.ISO_TZ_SEC, 7);
                }
                if (l.startsWith("Z07:00:00", i)) {
                    return el(Kind.ISO_TZ_COLON_SEC, 9);
                }
                if (l.startsWith("Z0700", i)) {
                    return el(Kind.ISO_TZ, 5);
                }
                if (l.startsWith("Z07:00", i)) {
                    return el(Kind.ISO_TZ_COLON, 6);
                }
                if (l.startsWith("Z07", i)) {
                    return el(Kind.ISO_TZ_SHORT, 3);
                }
                break;
            case '.', ',':
                if (i + 1 < l.length() && (l.charAt(i + 1) == '0' || l.charAt(i + 1) == '9')) {
                    char ch = l.charAt(i + 1);
                    int j = i + 1;
                    while (j < l.length() && l.charAt(j) == ch) {
                        j++;
                    }
                    if (!(j < l.length() && isDigit(l.charAt(j)))) {
                        return new Object[] {ch == '0' ? Kind.FRAC0 : Kind.FRAC9, j - i, j - (i + 1)};
                    }
                }
                break;
            default:
                break;
        }
        return null;
    }

    private static Object[] el(Kind k, int len) {
        return new Object[] {k, len, 0};
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Thrown for a value that does not fit the layout. */
    static final class ParseError extends Exception {
        ParseError(String message) {
            super(message, null, false, false);
        }
    }

    /** The parsed fields before they become an instant. */
    static final class Fields {
        int year;
        int month = -1;
        int day = -1;
        int yday = -1;
        int hour;
        int minute;
        int second;
        int nanos;
        boolean pm;
        boolean am;
        boolean utc;
        int offsetSeconds = Integer.MIN_VALUE;
        String zoneName;
    }

    /** Parses {@code value}; {@code location} is where a time without a zone is (and where zone names are looked up). */
    Fields parseFields(String value) throws ParseError {
        Fields f = new Fields();
        int p = 0;
        for (int ci = 0; ci < chunks.size(); ci++) {
            Chunk c = chunks.get(ci);
            if (c.kind == null) {
                p = skip(value, p, c.literal);
                continue;
            }
            int[] r;
            switch (c.kind) {
                case YEAR -> {
                    if (value.length() - p < 2) {
                        throw bad(value, p);
                    }
                    if (!allDigits(value, p, 2)) {
                        throw bad(value, p);
                    }
                    int y = Integer.parseInt(value.substring(p, p + 2));
                    f.year = y >= 69 ? y + 1900 : y + 2000;
                    p += 2;
                }
                case LONG_YEAR -> {
                    if (value.length() - p < 4 || !allDigits(value, p, 4)) {
                        throw bad(value, p);
                    }
                    f.year = Integer.parseInt(value.substring(p, p + 4));
                    p += 4;
                }
                case MONTH, LONG_MONTH -> {
                    r = lookup(value, p, LONG_MONTHS, c.kind == Kind.MONTH);
                    f.month = r[0] + 1;
                    p = r[1];
                }
                case NUM_MONTH, ZERO_MONTH -> {
                    r = getnum(value, p, c.kind == Kind.ZERO_MONTH);
                    if (r[0] <= 0 || r[0] > 12) {
                        throw new ParseError("month out of range");
                    }
                    f.month = r[0];
                    p = r[1];
                }
                case WEEKDAY, LONG_WEEKDAY -> p = lookup(value, p, LONG_DAYS, c.kind == Kind.WEEKDAY)[1];
                case DAY, UNDER_DAY, ZERO_DAY -> {
                    if (c.kind == Kind.UNDER_DAY && p < value.length() && value.charAt(p) == ' ') {
                        p++;
                    }
                    r = getnum(value, p, c.kind == Kind.ZERO_DAY);
                    f.day = r[0];
                    p = r[1];
                }
                case UNDER_YEAR_DAY, ZERO_YEAR_DAY -> {
                    for (int k = 0; k < 2 && c.kind == Kind.UNDER_YEAR_DAY && p < value.length() && value.charAt(p) == ' '; k++) {
                        p++;
                    }
                    r = getnum3(value, p, c.kind == Kind.ZERO_YEAR_DAY);
                    f.yday = r[0];
                    p = r[1];
                }
                case HOUR -> {
                    r = getnum(value, p, false);
                    if (r[0] < 0 || r[0] >= 24) {
                        throw new ParseError("hour out of range");
                    }
                    f.hour = r[0];
                    p = r[1];
                }
                case HOUR12, ZERO_HOUR12 -> {
                    r = getnum(value, p, c.kind == Kind.ZERO_HOUR12);
                    if (r[0] < 0 || r[0] > 12) {
                        throw new ParseError("hour out of range");
                    }
                    f.hour = r[0];
                    p = r[1];
                }
                case MINUTE, ZERO_MINUTE -> {
                    r = getnum(value, p, c.kind == Kind.ZERO_MINUTE);
                    if (r[0] < 0 || r[0] >= 60) {
                        throw new ParseError("minute out of range");
                    }
                    f.minute = r[0];
                    p = r[1];
                }
                case SECOND, ZERO_SECOND -> {
                    r = getnum(value, p, c.kind == Kind.ZERO_SECOND);
                    if (r[0] < 0 || r[0] >= 60) {
                        throw new ParseError("second out of range");
                    }
                    f.second = r[0];
                    p = r[1];
                    // Go accepts a fraction after the seconds even when the layout has none there
                    Kind next = nextElement(ci + 1);
                    boolean layoutHasFraction = next == Kind.FRAC0 || next == Kind.FRAC9;
                    if (!layoutHasFraction && value.length() - p >= 2 && isSep(value.charAt(p)) && isDigit(value.charAt(p + 1))) {
                        int n = p + 2;
                        while (n < value.length() && isDigit(value.charAt(n))) {
                            n++;
                        }
                        f.nanos = nanos(value, p, n - p);
                        p = n;
                    }
                }
                case PM_UPPER, PM_LOWER -> {
                    if (value.length() - p < 2) {
                        throw bad(value, p);
                    }
                    String s = value.substring(p, p + 2);
                    String pmText = c.kind == Kind.PM_UPPER ? "PM" : "pm";
                    String amText = c.kind == Kind.PM_UPPER ? "AM" : "am";
                    if (s.equals(pmText)) {
                        f.pm = true;
                    } else if (s.equals(amText)) {
                        f.am = true;
                    } else {
                        throw bad(value, p);
                    }
                    p += 2;
                }
                case ISO_TZ_SEC, ISO_TZ_COLON_SEC, ISO_TZ, ISO_TZ_SHORT, ISO_TZ_COLON, NUM_TZ_SEC, NUM_TZ_COLON_SEC,
                        NUM_TZ, NUM_TZ_SHORT, NUM_TZ_COLON -> p = zoneOffset(value, p, c.kind, f);
                case TZ -> p = zoneName(value, p, f);
                case FRAC0 -> {
                    int nd = 1 + c.digits;
                    if (value.length() - p < nd || !isSep(value.charAt(p)) || !allDigits(value, p + 1, c.digits)) {
                        throw bad(value, p);
                    }
                    f.nanos = nanos(value, p, nd);
                    p += nd;
                }
                case FRAC9 -> {
                    if (value.length() - p < 2 || !isSep(value.charAt(p)) || !isDigit(value.charAt(p + 1))) {
                        break; // the fraction is optional
                    }
                    int i = 0;
                    while (p + i + 1 < value.length() && isDigit(value.charAt(p + i + 1))) {
                        i++;
                    }
                    f.nanos = nanos(value, p, 1 + i);
                    p += 1 + i;
                }
                default -> throw new IllegalStateException(c.kind.toString());
            }
        }
        if (p != value.length()) {
            throw new ParseError("extra text: '" + value.substring(p) + "'");
        }
        if (f.pm && f.hour < 12) {
            f.hour += 12;
        } else if (f.am && f.hour == 12) {
            f.hour = 0;
        }
        if (f.yday >= 0) {
            applyYearDay(f);
        }
        if (f.month < 0) {
            f.month = 1;
        }
        if (f.day < 0) {
            f.day = 1;
        }
        if (f.day < 1 || f.day > daysIn(f.month, f.year)) {
            throw new ParseError("day out of range");
        }
        return f;
    }

    /** The next element from chunk {@code from} on, literals skipped (Go's nextStdChunk of the rest of the layout). */
    private Kind nextElement(int from) {
        for (int i = from; i < chunks.size(); i++) {
            if (chunks.get(i).kind != null) {
                return chunks.get(i).kind;
            }
        }
        return null;
    }

    /** The instant of parsed fields, Go's rules for zones: Z/UTC, numeric offsets, abbreviations known in {@code location}. */
    static long toNanos(Fields f, ZoneId location) {
        LocalDateTime ldt = LocalDateTime.of(f.year, f.month, f.day, f.hour, f.minute, f.second, f.nanos);
        Instant instant;
        if (f.utc) {
            instant = ldt.toInstant(ZoneOffset.UTC);
        } else if (f.offsetSeconds != Integer.MIN_VALUE) {
            // not ZoneOffset: Go accepts offsets up to 24:60:60, java.time only up to 18:00
            instant = ldt.toInstant(ZoneOffset.UTC).minusSeconds(f.offsetSeconds);
        } else if (f.zoneName != null) {
            Instant asUtc = ldt.toInstant(ZoneOffset.UTC);
            Integer offset = offsetOfAbbreviation(f.zoneName, location, asUtc);
            if (offset == null && f.zoneName.length() > 3 && f.zoneName.startsWith("GMT")) {
                offset = Integer.parseInt(f.zoneName.substring(3)) * 3600;
            }
            instant = asUtc.minusSeconds(offset == null ? 0 : offset);
        } else {
            instant = ldt.atZone(location).toInstant();
        }
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    private static Integer offsetOfAbbreviation(String name, ZoneId zone, Instant near) {
        if (name.equals("UTC") || name.equals("GMT")) {
            return 0;
        }
        DateTimeFormatter abbrev = DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH);
        for (long shift : new long[] {0, -182L * 86400, 182L * 86400}) {
            Instant at = near.plusSeconds(shift);
            if (abbrev.format(at.atZone(zone)).equals(name)) {
                return zone.getRules().getOffset(at).getTotalSeconds();
            }
        }
        if (zone.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equals(name)) {
            return zone.getRules().getOffset(near).getTotalSeconds();
        }
        return null;
    }

    private static void applyYearDay(Fields f) throws ParseError {
        if (f.yday < 1 || f.yday > 365 + (isLeap(f.year) ? 1 : 0)) {
            throw new ParseError("day-of-year out of range");
        }
        java.time.LocalDate d = java.time.LocalDate.ofYearDay(f.year, f.yday);
        if ((f.month >= 0 && f.month != d.getMonthValue()) || (f.day >= 0 && f.day != d.getDayOfMonth())) {
            throw new ParseError("day-of-year does not match month or day");
        }
        f.month = d.getMonthValue();
        f.day = d.getDayOfMonth();
    }

    private int zoneOffset(String v, int p, Kind k, Fields f) throws ParseError {
        boolean iso = k.name().startsWith("ISO");
        if (iso && p < v.length() && v.charAt(p) == 'Z') {
            f.utc = true;
            return p + 1;
        }
        String fmt = switch (k) {
            case ISO_TZ_SEC, NUM_TZ_SEC -> "-hhmmss";
            case ISO_TZ_COLON_SEC, NUM_TZ_COLON_SEC -> "-hh:mm:ss";
            case ISO_TZ, NUM_TZ -> "-hhmm";
            case ISO_TZ_COLON, NUM_TZ_COLON -> "-hh:mm";
            default -> "-hh";
        };
        if (v.length() - p < fmt.length()) {
            throw bad(v, p);
        }
        char sign = v.charAt(p);
        if (sign != '+' && sign != '-') {
            throw bad(v, p);
        }
        int secs = 0;
        for (int i = 1; i < fmt.length(); ) {
            if (fmt.charAt(i) == ':') {
                if (v.charAt(p + i) != ':') {
                    throw bad(v, p);
                }
                i++;
                continue;
            }
            if (!allDigits(v, p + i, 2)) {
                throw bad(v, p);
            }
            int unit = switch (fmt.charAt(i)) {
                case 'h' -> 3600;
                case 'm' -> 60;
                default -> 1;
            };
            int n = Integer.parseInt(v.substring(p + i, p + i + 2));
            if (n > (unit == 3600 ? 24 : 60)) {
                // Go allows offsets of 24 hours or 60 minutes, not more
                throw new ParseError("time zone offset out of range");
            }
            secs += n * unit;
            i += 2;
        }
        f.offsetSeconds = sign == '-' ? -secs : secs;
        return p + fmt.length();
    }

    private int zoneName(String v, int p, Fields f) throws ParseError {
        if (v.length() - p >= 3 && v.startsWith("UTC", p)) {
            f.utc = true;
            return p + 3;
        }
        int n = zoneNameLength(v, p);
        if (n <= 0) {
            throw bad(v, p);
        }
        f.zoneName = v.substring(p, p + n);
        return p + n;
    }

    /** Go's parseTimeZone: ChST/MeST, GMT[+-N], three upper-case letters, or four/five ending in T. */
    private static int zoneNameLength(String v, int p) {
        if (v.length() - p < 3) {
            return -1;
        }
        if (v.startsWith("ChST", p) || v.startsWith("MeST", p)) {
            return 4;
        }
        if (v.startsWith("GMT", p)) {
            return 3 + signedOffsetLength(v, p + 3);
        }
        if (v.charAt(p) == '+' || v.charAt(p) == '-') {
            // an unnamed zone written "+03" or "-0430": a name Go does not know, so offset 0
            int n = signedOffsetLength(v, p);
            return n > 0 ? n : -1;
        }
        int upper = 0;
        while (p + upper < v.length() && upper < 6 && v.charAt(p + upper) >= 'A' && v.charAt(p + upper) <= 'Z') {
            upper++;
        }
        return switch (upper) {
            case 3 -> 3;
            case 4 -> v.charAt(p + 3) == 'T' || v.startsWith("WITA", p) ? 4 : -1;
            case 5 -> v.charAt(p + 4) == 'T' ? 5 : -1;
            default -> -1;
        };
    }

    /**
     * Go's skip: literal text must match, except that a run of spaces in the layout matches any run
     * of spaces in the value (none at the end of the value), so "Jan 2" also reads "Jan  2".
     */
    private static int skip(String value, int p, String literal) throws ParseError {
        int l = 0;
        while (l < literal.length()) {
            if (literal.charAt(l) == ' ') {
                if (p < value.length() && value.charAt(p) != ' ') {
                    throw new ParseError("cannot parse '" + value.substring(p) + "' as '" + literal.substring(l) + "'");
                }
                while (l < literal.length() && literal.charAt(l) == ' ') {
                    l++;
                }
                while (p < value.length() && value.charAt(p) == ' ') {
                    p++;
                }
                continue;
            }
            if (p >= value.length() || value.charAt(p) != literal.charAt(l)) {
                throw new ParseError("cannot parse '" + value.substring(Math.min(p, value.length())) + "' as '"
                        + literal.substring(l) + "'");
            }
            p++;
            l++;
        }
        return p;
    }

    /** Go's parseSignedOffset: a sign and leading digits of at most 23, or 0 when there is none. */
    private static int signedOffsetLength(String v, int p) {
        if (p >= v.length() || (v.charAt(p) != '+' && v.charAt(p) != '-')) {
            return 0;
        }
        int d = p + 1;
        long x = 0;
        while (d < v.length() && isDigit(v.charAt(d))) {
            x = Math.min(x * 10 + (v.charAt(d) - '0'), 1000);
            d++;
        }
        return d == p + 1 || x > 23 ? 0 : d - p;
    }

    private static int[] lookup(String v, int p, String[] names, boolean shortForm) throws ParseError {
        for (int i = 0; i < names.length; i++) {
            String n = shortForm ? names[i].substring(0, 3) : names[i];
            if (v.regionMatches(true, p, n, 0, n.length())) {
                return new int[] {i, p + n.length()};
            }
        }
        throw bad(v, p);
    }

    /** Go's getnum: one or two digits, or exactly two when {@code fixed}. */
    private static int[] getnum(String v, int p, boolean fixed) throws ParseError {
        if (p >= v.length() || !isDigit(v.charAt(p))) {
            throw bad(v, p);
        }
        if (p + 1 >= v.length() || !isDigit(v.charAt(p + 1))) {
            if (fixed) {
                throw bad(v, p);
            }
            return new int[] {v.charAt(p) - '0', p + 1};
        }
        return new int[] {(v.charAt(p) - '0') * 10 + (v.charAt(p + 1) - '0'), p + 2};
    }

    private static int[] getnum3(String v, int p, boolean fixed) throws ParseError {
        int n = 0;
        int i = 0;
        while (i < 3 && p + i < v.length() && isDigit(v.charAt(p + i))) {
            n = n * 10 + v.charAt(p + i) - '0';
            i++;
        }
        if (i == 0 || (fixed && i != 3)) {
            throw bad(v, p);
        }
        return new int[] {n, p + i};
    }

    /** The fraction at {@code p} (separator included, {@code n} characters), at most nine digits used. */
    private static int nanos(String v, int p, int n) throws ParseError {
        if (!isSep(v.charAt(p))) {
            throw bad(v, p);
        }
        if (n > 10) {
            n = 10;
        }
        int ns = 0;
        for (int i = 1; i < n; i++) {
            ns = ns * 10 + (v.charAt(p + i) - '0');
        }
        for (int i = n; i < 10; i++) {
            ns *= 10;
        }
        return ns;
    }

    private static boolean allDigits(String v, int p, int len) {
        if (p + len > v.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (!isDigit(v.charAt(p + i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSep(char c) {
        return c == '.' || c == ',';
    }

    private static ParseError bad(String v, int p) {
        return new ParseError("cannot parse '" + v.substring(Math.min(p, v.length())) + "'");
    }

    static boolean isLeap(int y) {
        return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    }

    static int daysIn(int month, int year) {
        return switch (month) {
            case 2 -> isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
