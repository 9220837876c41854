package tailflow.agent.stages;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tailflow.agent.ops.metrics.Metrics;
import tailflow.agent.pipeline.Labels;

/**
 * Promtail's {@code metrics} stage: counters, gauges and histograms on /metrics named
 * {@code prefix + name} (default prefix {@code tailflow_custom_}, Promtail's is
 * {@code promtail_custom_}), one series per entry label set (internal {@code __} labels left out),
 * fed from an extracted value ({@code source}, default the metric's name) or, for counters with
 * {@code match_all}, from every entry. Series idle for {@code max_idle_duration} (default 5m) go away.
 */
public final class MetricsStage implements Step {
    public static final String DEFAULT_PREFIX = "tailflow_custom_";
    static final double[] DEFAULT_BUCKETS = {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};

    public enum Type { COUNTER, GAUGE, HISTOGRAM }

    /** One configured metric; {@code action} is inc/add (counter) or set/inc/dec/add/sub (gauge). */
    public record Metric(String fullName, Type type, String description, String source, long maxIdleSeconds,
            Optional<String> value, String action, boolean matchAll, boolean countBytes, double[] buckets) {

        public static Metric of(String name, String type, String description, Optional<String> source, String prefix,
                Optional<Long> maxIdleNanos, Optional<String> value, String action, boolean matchAll, boolean countBytes,
                List<Double> buckets) {
            Type t = switch (type.toLowerCase(java.util.Locale.ROOT)) {
                case "counter" -> Type.COUNTER;
                case "gauge" -> Type.GAUGE;
                case "histogram" -> Type.HISTOGRAM;
                default -> throw new IllegalArgumentException("invalid metric type '" + type
                        + "', metric type must be one of 'counter', 'gauge', or 'histogram'");
            };
            String full = (prefix == null || prefix.isEmpty() ? DEFAULT_PREFIX : prefix) + name;
            if (!full.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
                throw new IllegalArgumentException("'" + full + "' is not a valid metric name");
            }
            long idle = maxIdleNanos.orElse(300_000_000_000L);
            if (idle < 1_000_000_000L) {
                throw new IllegalArgumentException("max_idle_duration less than 1s not allowed");
            }
            String act = action.toLowerCase(java.util.Locale.ROOT);
            if (t == Type.COUNTER) {
                if (act.isEmpty()) {
                    throw new IllegalArgumentException("counter action must be defined as either `inc` or `add`");
                }
                if (!act.equals("inc") && !act.equals("add")) {
                    throw new IllegalArgumentException("action " + act + " is not valid, action must be either `inc` or `add`");
                }
                if (matchAll && value.isPresent()) {
                    throw new IllegalArgumentException("`match_all: true` cannot be combined with `value`, please remove `match_all` or `value`");
                }
                if (countBytes && !matchAll) {
                    throw new IllegalArgumentException("`count_entry_bytes: true` can only be set with `match_all: true`");
                }
                if (countBytes && !act.equals("add")) {
                    throw new IllegalArgumentException("`count_entry_bytes: true` can only be used with `action: add`");
                }
            } else if (t == Type.GAUGE && !List.of("set", "inc", "dec", "add", "sub").contains(act)) {
                throw new IllegalArgumentException(act.isEmpty() ? "gauge action must be defined as `set`, `inc`, `dec`, `add`, or `sub`"
                        : "action " + act + " is not valid, action must be `set`, `inc`, `dec`, `add`, or `sub`");
            }
            double[] b = buckets.isEmpty() ? DEFAULT_BUCKETS : buckets.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Metric(full, t, description, source.orElse(name), idle / 1_000_000_000L, value, act, matchAll,
                    countBytes, b);
        }
    }

    public record Spec(List<Metric> metrics) implements StageSpec {
        public Spec {
            if (metrics.isEmpty()) {
                throw new IllegalArgumentException("empty metric stage configuration");
            }
            metrics = List.copyOf(metrics);
        }

        @Override
        public String name() {
            return "metrics";
        }

        @Override
        public Step create(StageContext ctx) {
            if (!ctx.recordMetrics()) {
                return (item, out) -> out.emit(item); // another client's chain of this job records them
            }
            List<Series> series = new ArrayList<>();
            for (Metric m : metrics) {
                Series s = new Series(m, ctx.wall());
                ctx.metrics().register(m.fullName(), s);
                series.add(s);
            }
            return new MetricsStage(series);
        }
    }

    private final List<Series> series;

    MetricsStage(List<Series> series) {
        this.series = series;
    }

    @Override
    public void process(Item item, Downstream out) {
        for (Series s : series) {
            s.record(item);
        }
        out.emit(item);
    }

    /** One metric's series by label set, written to /metrics by the registry. */
    static final class Series implements Metrics.Collector {
        private final Metric m;
        private final java.time.Clock clock;
        private final Map<Labels, double[]> cells = new LinkedHashMap<>();
        private final Map<Labels, Long> touched = new LinkedHashMap<>();

        Series(Metric m, java.time.Clock clock) {
            this.m = m;
            this.clock = clock;
        }

        void record(Item item) {
            Labels labels = item.labels.withoutInternal();
            if (m.type == Type.COUNTER && m.matchAll) {
                add(labels, m.countBytes ? ByteSize.utf8Length(item.line) : 1);
                return;
            }
            if (!item.extracted.containsKey(m.source)) {
                return;
            }
            Object v = item.extracted.get(m.source);
            if (m.value.isPresent() && !m.value.get().equals(Values.string(v))) {
                return;
            }
            double f = Values.number(v);
            switch (m.type) {
                case COUNTER -> {
                    if (m.action.equals("inc")) {
                        add(labels, 1);
                    } else if (!Double.isNaN(f) && f >= 0) {
                        add(labels, f);
                    }
                }
                case GAUGE -> {
                    switch (m.action) {
                        case "inc" -> add(labels, 1);
                        case "dec" -> add(labels, -1);
                        case "set" -> {
                            if (!Double.isNaN(f)) {
                                set(labels, f);
                            }
                        }
                        case "add" -> {
                            if (!Double.isNaN(f)) {
                                add(labels, f);
                            }
                        }
                        default -> {
                            if (!Double.isNaN(f)) {
                                add(labels, -f);
                            }
                        }
                    }
                }
                case HISTOGRAM -> {
                    if (!Double.isNaN(f)) {
                        observe(labels, f);
                    }
                }
            }
        }

        private synchronized double[] cell(Labels l) {
            touched.put(l, clock.millis() / 1000);
            return cells.computeIfAbsent(l, k -> new double[m.type == Type.HISTOGRAM ? m.buckets.length + 2 : 1]);
        }

        private synchronized void add(Labels l, double d) {
            cell(l)[0] += d;
        }

        private synchronized void set(Labels l, double d) {
            cell(l)[0] = d;
        }

        /** Histogram cell: per-bucket counts, then sum, then count. */
        private synchronized void observe(Labels l, double d) {
            double[] c = cell(l);
            for (int i = 0; i < m.buckets.length; i++) {
                if (d <= m.buckets[i]) {
                    c[i]++;
                    break;
                }
            }
            c[m.buckets.length] += d;
            c[m.buckets.length + 1]++;
        }

        @Override
        public synchronized void write(Writer out) throws IOException {
            long now = clock.millis() / 1000;
            touched.entrySet().removeIf(e -> {
                boolean idle = now - e.getValue() >= m.maxIdleSeconds;
                if (idle) {
                    cells.remove(e.getKey());
                }
                return idle;
            });
            String type = m.type.name().toLowerCase(java.util.Locale.ROOT);
            out.write("# HELP " + m.fullName + " " + m.description.replace("\\", "\\\\").replace("\n", "\\n") + "\n");
            out.write("# TYPE " + m.fullName + " " + type + "\n");
            for (Map.Entry<Labels, double[]> e : cells.entrySet()) {
                double[] c = e.getValue();
                if (m.type != Type.HISTOGRAM) {
                    out.write(m.fullName + labels(e.getKey(), null) + " " + GoFormat.floatG(c[0], -1) + "\n");
                    continue;
                }
                double cumulative = 0;
                for (int i = 0; i < m.buckets.length; i++) {
                    cumulative += c[i];
                    out.write(m.fullName + "_bucket" + labels(e.getKey(), GoFormat.floatG(m.buckets[i], -1)) + " "
                            + GoFormat.floatG(cumulative, -1) + "\n");
                }
                out.write(m.fullName + "_bucket" + labels(e.getKey(), "+Inf") + " " + GoFormat.floatG(c[m.buckets.length + 1], -1) + "\n");
                out.write(m.fullName + "_sum" + labels(e.getKey(), null) + " " + GoFormat.floatG(c[m.buckets.length], -1) + "\n");
                out.write(m.fullName + "_count" + labels(e.getKey(), null) + " " + GoFormat.floatG(c[m.buckets.length + 1], -1) + "\n");
            }
        }

        private static String labels(Labels l, String le) {
            if (l.isEmpty() && le == null) {
                return "";
            }
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(l.name(i)).append("=\"")
                        .append(l.value(i).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
            }
            if (le != null) {
                sb.append(l.isEmpty() ? "" : ",").append("le=\"").append(le).append('"');
            }
            return sb.append('}').toString();
        }

        @Override
        public String toString() {
            return m.fullName + Arrays.toString(m.buckets);
        }
    }
}
