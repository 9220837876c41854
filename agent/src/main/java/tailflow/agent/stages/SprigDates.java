package tailflow.agent.stages;

import static tailflow.agent.stages.TemplateFunctions.arity;
import static tailflow.agent.stages.TemplateFunctions.one;
import static tailflow.agent.stages.TemplateFunctions.str;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import tailflow.agent.stages.GoTemplate.ExecError;

/**
 * sprig v3.3.0's date functions (date.go), which Promtail's template stage has through
 * sprig.TxtFuncMap: now, date, dateInZone/date_in_zone, htmlDate, htmlDateInZone, toDate,
 * mustToDate, unixEpoch, dateModify/date_modify, mustDateModify/must_date_modify, ago, duration,
 * durationRound. As in sprig, a date argument that is not a time or an integer (an extracted
 * string, say) means "now". Go's time.Local is the JVM's default zone (UTC in Promtail's image).
 * Integers here are Go's int and int64 alike (a template has no way to tell them apart).
 */
final class SprigDates {
    private SprigDates() {}

    /** The wall clock sprig's now/ago read; fixed per process, not settable. */
    private static final Clock CLOCK = Clock.systemUTC();

    static void register(Map<String, TemplateFunctions.Fn> f) {
        f.put("now", a -> {
            arity(a, 0, 0, "now");
            return new GoTime(CLOCK.instant(), ZoneId.systemDefault());
        });
        f.put("date", a -> {
            arity(a, 2, 2, "date");
            return dateInZone(str(a.get(0), "date"), a.get(1), "Local");
        });
        TemplateFunctions.Fn inZone = a -> {
            arity(a, 3, 3, "dateInZone");
            return dateInZone(str(a.get(0), "dateInZone"), a.get(1), str(a.get(2), "dateInZone"));
        };
        f.put("dateInZone", inZone);
        f.put("date_in_zone", inZone);
        f.put("htmlDate", a -> dateInZone("2006-01-02", one(a, "htmlDate"), "Local"));
        f.put("htmlDateInZone", a -> {
            arity(a, 2, 2, "htmlDateInZone");
            return dateInZone("2006-01-02", a.get(0), str(a.get(1), "htmlDateInZone"));
        });
        f.put("toDate", a -> {
            arity(a, 2, 2, "toDate");
            GoTime t = parse(str(a.get(0), "toDate"), str(a.get(1), "toDate"));
            return t == null ? GoTime.ZERO : t;
        });
        f.put("mustToDate", a -> {
            arity(a, 2, 2, "mustToDate");
            GoTime t = parse(str(a.get(0), "mustToDate"), str(a.get(1), "mustToDate"));
            if (t == null) {
                throw new ExecError("error calling mustToDate: parsing time \"" + a.get(1) + "\" as \"" + a.get(0)
                        + "\": cannot parse");
            }
            return t;
        });
        f.put("unixEpoch", a -> Long.toString(time(one(a, "unixEpoch"), "unixEpoch").unixSeconds()));
        TemplateFunctions.Fn modify = a -> {
            arity(a, 2, 2, "dateModify");
            GoTime t = time(a.get(1), "dateModify");
            Long d = GoDuration.parse(str(a.get(0), "dateModify"));
            return d == null ? t : new GoTime(t.instant().plusNanos(d), t.zone());
        };
        f.put("dateModify", modify);
        f.put("date_modify", modify);
        TemplateFunctions.Fn mustModify = a -> {
            arity(a, 2, 2, "mustDateModify");
            GoTime t = time(a.get(1), "mustDateModify");
            Long d = GoDuration.parse(str(a.get(0), "mustDateModify"));
            if (d == null) {
                throw new ExecError("error calling mustDateModify: time: invalid duration \"" + a.get(0) + "\"");
            }
            return new GoTime(t.instant().plusNanos(d), t.zone());
        };
        f.put("mustDateModify", mustModify);
        f.put("must_date_modify", mustModify);
        f.put("ago", a -> {
            Object v = one(a, "ago");
            Instant t = v instanceof GoTime g ? g.instant() : v instanceof Long l ? Instant.ofEpochSecond(l) : CLOCK.instant();
            long since = Duration.between(t, CLOCK.instant()).toNanos();
            return duration(roundToSecond(since));
        });
        f.put("duration", a -> {
            Object v = one(a, "duration");
            long n = 0;
            if (v instanceof String s) {
                try {
                    n = Long.parseLong(s);
                } catch (NumberFormatException e) {
                    n = 0;
                }
            } else if (v instanceof Long l) {
                n = l;
            }
            return duration(n * 1_000_000_000L);
        });
        f.put("durationRound", a -> durationRound(one(a, "durationRound")));
    }

    private static String dateInZone(String layout, Object date, String zone) {
        Instant t = date instanceof GoTime g ? g.instant() : date instanceof Long l ? Instant.ofEpochSecond(l) : CLOCK.instant();
        return new GoTime(t, location(zone)).format(layout);
    }

    /** time.LoadLocation: "" and "UTC" are UTC, "Local" the local zone, else a tz name; unknown names fall back to UTC. */
    static ZoneId location(String name) {
        if (name.isEmpty() || name.equals("UTC")) {
            return ZoneOffset.UTC;
        }
        if (name.equals("Local")) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(name);
        } catch (RuntimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /** time.ParseInLocation(layout, value, time.Local); null when it does not parse. */
    private static GoTime parse(String layout, String value) {
        try {
            GoTimeLayout l = new GoTimeLayout(layout);
            GoTimeLayout.Fields fields = l.parseFields(value);
            ZoneId local = ZoneId.systemDefault();
            long nanos = GoTimeLayout.toNanos(fields, local);
            Instant at = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
            ZoneId shown = fields.offsetSeconds != Integer.MIN_VALUE && fields.offsetSeconds != local.getRules().getOffset(at)
                    .getTotalSeconds() ? ZoneOffset.ofTotalSeconds(Math.max(-18 * 3600, Math.min(18 * 3600, fields.offsetSeconds)))
                    : fields.utc ? ZoneOffset.UTC : local;
            return new GoTime(at, shown);
        } catch (GoTimeLayout.ParseError | RuntimeException e) {
            return null;
        }
    }

    private static GoTime time(Object v, String fn) throws ExecError {
        if (v instanceof GoTime t) {
            return t;
        }
        throw new ExecError("error calling " + fn + ": wrong type for value; expected time.Time; got "
                + TemplateFunctions.typeName(v));
    }

    private static long roundToSecond(long nanos) {
        // time.Duration.Round(time.Second): halves away from zero
        long r = Math.floorMod(nanos, 1_000_000_000L);
        long down = nanos - r;
        return r + r < 1_000_000_000L ? down : down + 1_000_000_000L;
    }

    private static String durationRound(Object v) {
        long d = 0;
        if (v instanceof String s) {
            Long parsed = GoDuration.parse(s);
            d = parsed == null ? 0 : parsed;
        } else if (v instanceof Long l) {
            d = l;
        } else if (v instanceof GoTime t) {
            d = Duration.between(t.instant(), CLOCK.instant()).toNanos();
        }
        long u = Math.abs(d);
        long second = 1_000_000_000L;
        long[] units = {365 * 24 * 3600 * second, 30 * 24 * 3600 * second, 24 * 3600 * second, 3600 * second, 60 * second,
            second};
        String[] names = {"y", "mo", "d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (u > units[i]) {
                return Long.toUnsignedString(u / units[i]) + names[i];
            }
        }
        return "0s";
    }

    /** Go's Duration.String: "1h2m3.5s", "1.5ms", "0s". */
    static String duration(long d) {
        if (d == 0) {
            return "0s";
        }
        boolean neg = d < 0;
        // as Go, work on the magnitude as unsigned (Long.MIN_VALUE stays representable)
        long u = neg ? -d : d;
        StringBuilder sb = new StringBuilder();
        if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
            String unit;
            int prec;
            if (u < 1_000L) {
                return (neg ? "-" : "") + u + "ns";
            } else if (u < 1_000_000L) {
                unit = "µs";
                prec = 3;
            } else {
                unit = "ms";
                prec = 6;
            }
            sb.append(fraction(u, prec)).append(unit);
        } else {
            long secs = Long.divideUnsigned(u, 1_000_000_000L);
            long frac = Long.remainderUnsigned(u, 1_000_000_000L);
            String s = fraction(secs % 60 * 1_000_000_000L + frac, 9);
            long mins = secs / 60;
            if (mins > 0) {
                long hours = mins / 60;
                if (hours > 0) {
                    sb.append(hours).append('h');
                }
                sb.append(mins % 60).append('m');
            }
            sb.append(s).append('s');
        }
        return (neg ? "-" : "") + sb;
    }

    /** v / 10^prec with the fraction's trailing zeros (and a bare point) left out. */
    private static String fraction(long v, int prec) {
        long scale = (long) Math.pow(10, prec);
        long whole = v / scale;
        long frac = v % scale;
        if (frac == 0) {
            return Long.toString(whole);
        }
        String f = String.format("%0" + prec + "d", frac);
        int end = f.length();
        while (f.charAt(end - 1) == '0') {
            end--;
        }
        return whole + "." + f.substring(0, end);
    }
}
