package tailflow.agent.ops.metrics;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's metric registry and its Prometheus text exposition (format 0.0.4).
 *
 * <p>Written by hand instead of pulling in the Prometheus Java client: the agent needs
 * counters, gauges and one histogram with a handful of labels, the format is small and fixed,
 * and every extra jar costs heap and metaspace on 64 MiB hosts. Correctness points kept:
 * one HELP and TYPE line per family, label values escaped ({@code \\}, {@code "}, newline),
 * HELP escaped ({@code \\}, newline), histogram buckets cumulative with {@code +Inf}, {@code _sum}
 * and {@code _count}.
 *
 * <p>One instance per runtime (no static state); components get it from the runtime.
 */
public final class Metrics {

    private final Map<String, Family> families = new ConcurrentSkipListMap<>();
    private final Map<String, Collector> collectors = new ConcurrentSkipListMap<>();

    /**
     * Families that write their own samples: the metrics pipeline stage's custom metrics, whose
     * label names are each entry's labels and so are not fixed up front.
     */
    public interface Collector {
        /** Writes HELP, TYPE and the samples of one family in the text exposition format. */
        void write(Writer out) throws IOException;
    }

    /** Registers (or replaces, on a reload) the collector named {@code name}. */
    public void register(String name, Collector collector) {
        collectors.put(name, collector);
    }

    /** A monotonically increasing counter family; name must end in {@code _total}. */
    public Counter counter(String name, String help, String... labelNames) {
        return (Counter) families.computeIfAbsent(name, n -> new Counter(n, help, labelNames));
    }

    public Gauge gauge(String name, String help, String... labelNames) {
        return (Gauge) families.computeIfAbsent(name, n -> new Gauge(n, help, labelNames));
    }

    public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
        return (Histogram) families.computeIfAbsent(name, n -> new Histogram(n, help, buckets, labelNames));
    }

    /**
     * The sum of a counter's or gauge's values over all label sets, or empty when no such family
     * exists (e.g. no sflow block): for summaries such as the status line, read directly.
     */
    public java.util.OptionalDouble total(String name) {
        Family family = families.get(name);
        if (family instanceof Counter c) {
            return java.util.OptionalDouble.of(c.sum());
        }
        if (family instanceof Gauge g) {
            return java.util.OptionalDouble.of(g.sum());
        }
        return java.util.OptionalDouble.empty();
    }

    /** Writes every family in the text exposition format. */
    public void writeTo(Writer out) throws IOException {
        for (Family family : families.values()) {
            family.write(out);
        }
        for (Collector c : collectors.values()) {
            c.write(out);
        }
    }

    /** Common part of a metric family: name, help, label names, children keyed by label values. */
    public abstract static class Family {
        final String name;
        final String help;
        final String[] labelNames;

        Family(String name, String help, String[] labelNames) {
            if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
                throw new IllegalArgumentException("invalid metric name " + name);
            }
            this.name = name;
            this.help = help;
            this.labelNames = labelNames.clone();
        }

        abstract String type();

        abstract void writeSamples(Writer out) throws IOException;

        void write(Writer out) throws IOException {
            out.write("# HELP " + name + " " + help.replace("\\", "\\\\").replace("\n", "\\n") + "\n");
            out.write("# TYPE " + name + " " + type() + "\n");
            writeSamples(out);
        }

        List<String> key(String... labelValues) {
            if (labelValues.length != labelNames.length) {
                throw new IllegalArgumentException(name + " takes labels " + Arrays.toString(labelNames));
            }
            return List.of(labelValues);
        }

        String labels(List<String> values, String extraName, String extraValue) {
            if (values.isEmpty() && extraName == null) {
                return "";
            }
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(labelNames[i]).append("=\"").append(escape(values.get(i))).append('"');
            }
            if (extraName != null) {
                if (!values.isEmpty()) {
                    sb.append(',');
                }
                sb.append(extraName).append("=\"").append(escape(extraValue)).append('"');
            }
            return sb.append('}').toString();
        }

        static String escape(String value) {
            return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        }

        static String number(double v) {
            if (Double.isInfinite(v)) {
                return v > 0 ? "+Inf" : "-Inf";
            }
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                return Long.toString((long) v);
            }
            return Double.toString(v);
        }
    }

    public static final class Counter extends Family {
        private final Map<List<String>, LongAdder> children = new ConcurrentHashMap<>();

        Counter(String name, String help, String[] labelNames) {
            super(name, help, labelNames);
        }

        /** The child for these label values, created at zero so it shows up before the first event. */
        public LongAdder labels(String... labelValues) {
            return children.computeIfAbsent(key(labelValues), k -> new LongAdder());
        }

        public void inc(long delta, String... labelValues) {
            labels(labelValues).add(delta);
        }

        public long get(String... labelValues) {
            LongAdder a = children.get(key(labelValues));
            return a == null ? 0 : a.sum();
        }

        long sum() {
            long sum = 0;
            for (LongAdder a : children.values()) {
                sum += a.sum();
            }
            return sum;
        }

        @Override
        String type() {
            return "counter";
        }

        @Override
        void writeSamples(Writer out) throws IOException {
            for (Map.Entry<List<String>, LongAdder> e : sorted(children)) {
                out.write(name + labels(e.getKey(), null, null) + " " + e.getValue().sum() + "\n");
            }
        }
    }

    public static final class Gauge extends Family {
        private final Map<List<String>, double[]> children = new ConcurrentHashMap<>();

        Gauge(String name, String help, String[] labelNames) {
            super(name, help, labelNames);
        }

        public void set(double value, String... labelValues) {
            double[] cell = children.computeIfAbsent(key(labelValues), k -> new double[1]);
            synchronized (cell) {
                cell[0] = value;
            }
        }

        /** Forgets a child, e.g. the lag of a file that was closed. */
        public void remove(String... labelValues) {
            children.remove(key(labelValues));
        }

        public double get(String... labelValues) {
            double[] cell = children.get(key(labelValues));
            if (cell == null) {
                return 0;
            }
            synchronized (cell) {
                return cell[0];
            }
        }

        double sum() {
            double sum = 0;
            for (double[] cell : children.values()) {
                synchronized (cell) {
                    sum += cell[0];
                }
            }
            return sum;
        }

        @Override
        String type() {
            return "gauge";
        }

        @Override
        void writeSamples(Writer out) throws IOException {
            for (Map.Entry<List<String>, double[]> e : sorted(children)) {
                double v;
                synchronized (e.getValue()) {
                    v = e.getValue()[0];
                }
                out.write(name + labels(e.getKey(), null, null) + " " + number(v) + "\n");
            }
        }
    }

    public static final class Histogram extends Family {
        private final double[] bounds;
        private final Map<List<String>, Child> children = new ConcurrentHashMap<>();

        Histogram(String name, String help, double[] bounds, String[] labelNames) {
            super(name, help, labelNames);
            this.bounds = bounds.clone();
            Arrays.sort(this.bounds);
        }

        private final class Child {
            final LongAdder[] counts = new LongAdder[bounds.length];
            final DoubleAdder sum = new DoubleAdder();
            final LongAdder count = new LongAdder();

            Child() {
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = new LongAdder();
                }
            }
        }

        public void observe(double value, String... labelValues) {
            Child c = children.computeIfAbsent(key(labelValues), k -> new Child());
            for (int i = 0; i < bounds.length; i++) {
                if (value <= bounds[i]) {
                    c.counts[i].increment();
                    break;
                }
            }
            c.sum.add(value);
            c.count.increment();
        }

        public long count(String... labelValues) {
            Child c = children.get(key(labelValues));
            return c == null ? 0 : c.count.sum();
        }

        @Override
        String type() {
            return "histogram";
        }

        @Override
        void writeSamples(Writer out) throws IOException {
            for (Map.Entry<List<String>, Child> e : sorted(children)) {
                Child c = e.getValue();
                long total = c.count.sum();
                long cumulative = 0;
                for (int i = 0; i < bounds.length; i++) {
                    cumulative += c.counts[i].sum();
                    out.write(name + "_bucket" + labels(e.getKey(), "le", number(bounds[i])) + " " + cumulative + "\n");
                }
                out.write(name + "_bucket" + labels(e.getKey(), "le", "+Inf") + " " + total + "\n");
                out.write(name + "_sum" + labels(e.getKey(), null, null) + " " + number(c.sum.sum()) + "\n");
                out.write(name + "_count" + labels(e.getKey(), null, null) + " " + total + "\n");
            }
        }
    }

    private static <V> List<Map.Entry<List<String>, V>> sorted(Map<List<String>, V> children) {
        List<Map.Entry<List<String>, V>> list = new ArrayList<>(children.entrySet());
        list.sort((a, b) -> String.join("\u0000", a.getKey()).compareTo(String.join("\u0000", b.getKey())));
        return list;
    }
}
