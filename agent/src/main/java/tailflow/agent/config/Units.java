package tailflow.agent.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value syntaxes config files use: Go durations ({@code 1s}, {@code 500ms}, {@code 1m30s}, as
 * Promtail parses them), byte sizes ({@code 1048576}, {@code 1MiB}, {@code 256KB}) and hsflowd's
 * link speeds ({@code 100M}, {@code 1G}, ranges {@code 1G-10G} and {@code 1-}).
 */
public final class Units {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern BYTES = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]i?B|[KMGT]|[kK]B|B)?");
    private static final Pattern SPEED = Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGT]?)", Pattern.CASE_INSENSITIVE);

    private Units() {}

    /** A Go duration, e.g. "1s", "500ms", "1m30s", "1.5h", or "0". Empty when the text is not one. */
    public static Optional<Duration> duration(String text) {
        String s = text.trim();
        if (s.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher m = DURATION_PART.matcher(s);
        int end = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (m.find() && m.start() == end) {
            nanos = nanos.add(new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1))
                    .multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            end = m.end();
        }
        if (end == 0 || end != s.length()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(nanos.longValue()));
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }

    /** Go's compact style without zero parts: "1s", "500ms", "5m", "1h30m". */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L != 0) {
            return nanos % 1_000_000L == 0 ? nanos / 1_000_000L + "ms" : nanos + "ns";
        }
        long s = d.getSeconds();
        StringBuilder out = new StringBuilder();
        if (s >= 3600) {
            out.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            out.append(s % 3600 / 60).append('m');
        }
        if (s % 60 != 0) {
            out.append(s % 60).append('s');
        }
        return out.toString();
    }

    /** Bytes: a plain count, or with a unit: KiB/MiB/GiB (1024s), KB/MB/GB and K/M/G (1000s). */
    public static Optional<Long> bytes(String text) {
        Matcher m = BYTES.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        long multiplier = switch (unit.toUpperCase(Locale.ROOT)) {
            case "B" -> 1L;
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            case "TIB" -> 1L << 40;
            case "K", "KB" -> 1_000L;
            case "M", "MB" -> 1_000_000L;
            case "G", "GB" -> 1_000_000_000L;
            default -> 1_000_000_000_000L;
        };
        try {
            return Optional.of(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(multiplier)).longValueExact());
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** An hsflowd link speed in bits per second: "100M", "1G", "10G", "2.5G", "1000000". */
    public static Optional<Long> speed(String text) {
        Matcher m = SPEED.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long multiplier = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "" -> 1L;
            case "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            default -> 1_000_000_000_000L;
        };
        try {
            return Optional.of(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(multiplier)).longValueExact());
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** hsflowd's speed range: "1G-10G", "1-" (1 bit/s and up), "-1G", or "1G" (exactly). */
    public static Optional<SflowConfig.SpeedRange> speedRange(String text) {
        String s = text.trim();
        int dash = s.indexOf('-');
        if (dash < 0) {
            return speed(s).map(v -> new SflowConfig.SpeedRange(v, v));
        }
        String lo = s.substring(0, dash);
        String hi = s.substring(dash + 1);
        Optional<Long> min = lo.isEmpty() ? Optional.of(0L) : speed(lo);
        Optional<Long> max = hi.isEmpty() ? Optional.of(Long.MAX_VALUE) : speed(hi);
        if (min.isEmpty() || max.isEmpty() || min.get() > max.get() || (lo.isEmpty() && hi.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new SflowConfig.SpeedRange(min.get(), max.get()));
    }
}
