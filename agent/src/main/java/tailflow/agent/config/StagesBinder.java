package tailflow.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import tailflow.agent.stages.ByteSize;
import tailflow.agent.stages.DropStage;
import tailflow.agent.stages.FormatStages;
import tailflow.agent.stages.JsonStage;
import tailflow.agent.stages.LabelStages;
import tailflow.agent.stages.LineStages;
import tailflow.agent.stages.LogfmtStage;
import tailflow.agent.stages.MatchStage;
import tailflow.agent.stages.MetricsStage;
import tailflow.agent.stages.MultilineStage;
import tailflow.agent.stages.RateStages;
import tailflow.agent.stages.RegexStage;
import tailflow.agent.stages.ReplaceStage;
import tailflow.agent.stages.StageSpec;
import tailflow.agent.stages.TemplateStage;
import tailflow.agent.stages.TimestampStage;

/**
 * Reads a scrape config's {@code pipeline_stages} (and match's nested {@code stages}) into
 * {@link StageSpec}s with Promtail's keys and defaults. A bad regex, template, JMESPath expression,
 * selector or timestamp layout is an error at its FILE:LINE:COLUMN whose key names the stage
 * ({@code scrape_configs[0].pipeline_stages[1].regex.expression}).
 */
final class StagesBinder {
    static final String EXAMPLE = "- regex: {expression: '(?P<level>\\w+)'}\n    - labels: {level: }";
    /** Promtail stages that cannot work here: warned about and left out. */
    static final Set<String> UNSUPPORTED = Set.of("geoip", "eventlogmessage");

    private final BindContext ctx;

    StagesBinder(BindContext ctx) {
        this.ctx = ctx;
    }

    List<StageSpec> bind(Section scrape) {
        return stages(scrape, "pipeline_stages");
    }

    private List<StageSpec> stages(Section parent, String key) {
        List<StageSpec> out = new ArrayList<>();
        List<Node> items = parent.list(key, EXAMPLE);
        for (int i = 0; i < items.size(); i++) {
            String path = parent.keyPath(key) + "[" + i + "]";
            Node item = items.get(i);
            if (!(item instanceof Node.Mapping m) || m.entries().size() != 1) {
                ctx.error(item.location(), path, "expected one stage per list item, a mapping with a single key such as"
                        + " '- json: {expressions: {level: level}}' (found " + (item instanceof Node.Mapping m2
                        ? m2.entries().size() + " keys" : item.describe()) + ")");
                continue;
            }
            Section s = Section.of(ctx, item, path, "regex: {expression: ...}");
            String name = m.entries().keySet().iterator().next();
            stage(s, name).ifPresent(out::add);
        }
        return out;
    }

    private Optional<StageSpec> stage(Section item, String name) {
        Node.Entry entry = item.entry(name).orElseThrow();
        String path = item.keyPath(name);
        if (UNSUPPORTED.contains(name)) {
            ctx.warn(entry.keyLocation(), path, BindContext.NOT_SUPPORTED);
            return Optional.empty();
        }
        switch (name) {
            case "labels", "structured_metadata", "non_indexed_labels", "static_labels" -> {
                if (entry.value() instanceof Node.Scalar sc && sc.isNull()
                        || entry.value() instanceof Node.Mapping mm && mm.entries().isEmpty()) {
                    // Promtail starts from an empty map that mapstructure leaves as it is for null or {}:
                    // a valid stage that does nothing (labels.go, static_labels.go, structuredmetadata.go)
                    return Optional.empty();
                }
                Map<String, String> map = new LinkedHashMap<>();
                item.scalarMap(name, "level: ").forEach((k, v) -> map.put(k, v.value().isNull() ? "" : v.value().text()));
                return build(entry.keyLocation(), path, () -> switch (name) {
                    case "labels" -> LabelStages.LabelsSpec.of(map);
                    case "static_labels" -> LabelStages.StaticLabelsSpec.of(map);
                    default -> LabelStages.StructuredMetadataSpec.of(map);
                });
            }
            case "labeldrop", "labelallow" -> {
                List<String> names = new ArrayList<>();
                for (Node n : item.list(name, "[filename]")) {
                    if (n instanceof Node.Scalar sc && !sc.isNull()) {
                        names.add(sc.text());
                    } else {
                        ctx.error(n.location(), path, "expected a label name, found " + n.describe());
                    }
                }
                return build(entry.keyLocation(), path, () -> LabelStages.LabelFilterSpec.of(names, name.equals("labelallow")));
            }
            case "docker", "decolorize" -> {
                item.section(name, "{}").ifPresent(s -> s.finishIgnoringUnknown());
                return Optional.of(name.equals("docker") ? new FormatStages.DockerSpec() : new LineStages.DecolorizeSpec());
            }
            default -> {
                Section s = item.section(name, "key: value").orElseThrow();
                Optional<StageSpec> spec = configured(s, name, entry);
                s.finishIgnoringUnknown();
                return spec;
            }
        }
    }

    /** Stages whose value is a mapping of settings. */
    private Optional<StageSpec> configured(Section s, String name, Node.Entry entry) {
        Node.Location at = entry.keyLocation();
        switch (name) {
            case "regex" -> {
                String expr = s.string("expression", "");
                Optional<String> source = s.string("source");
                return build(valueAt(s, "expression", at), s.keyPath("expression"), () -> RegexStage.Spec.of(expr, source));
            }
            case "json" -> {
                Map<String, String> expressions = new LinkedHashMap<>();
                s.scalarMap("expressions", "level: level").forEach((k, v) -> expressions.put(k, v.value().text()));
                Optional<String> source = s.string("source");
                boolean dropMalformed = s.bool("drop_malformed", false);
                for (Map.Entry<String, String> e : expressions.entrySet()) {
                    String expr = e.getValue().isEmpty() ? e.getKey() : e.getValue();
                    Node.Location exprAt = s.section("expressions", "level: level").flatMap(x -> x.entry(e.getKey()))
                            .map(x -> x.value().location()).orElse(at);
                    if (!check(exprAt, s.keyPath("expressions." + e.getKey()), () -> JsonStage.Spec.compile(expr))) {
                        return Optional.empty();
                    }
                }
                return build(at, s.keyPath("expressions"), () -> JsonStage.Spec.of(expressions, source, dropMalformed));
            }
            case "logfmt" -> {
                Map<String, String> mapping = new LinkedHashMap<>();
                s.scalarMap("mapping", "level: level").forEach((k, v) -> mapping.put(k, v.value().text()));
                Optional<String> source = s.string("source");
                return build(at, s.keyPath("mapping"), () -> LogfmtStage.Spec.of(mapping, source));
            }
            case "replace" -> {
                String expr = s.string("expression", "");
                Optional<String> source = s.string("source");
                String replace = s.string("replace", "");
                if (!check(valueAt(s, "expression", at), s.keyPath("expression"), () -> RegexStage.Spec.of(expr, source))) {
                    return Optional.empty();
                }
                return build(valueAt(s, "replace", at), s.keyPath("replace"), () -> ReplaceStage.Spec.of(expr, source, replace));
            }
            case "template" -> {
                String source = s.string("source", "");
                String template = s.string("template", "");
                return build(valueAt(s, "template", at), s.keyPath("template"), () -> TemplateStage.Spec.of(source, template));
            }
            case "output" -> {
                String source = s.string("source", "");
                return build(at, s.keyPath("source"), () -> LabelStages.OutputSpec.of(source));
            }
            case "tenant" -> {
                String source = s.string("source", "");
                String label = s.string("label", "");
                String value = s.string("value", "");
                return build(at, name, () -> LabelStages.TenantSpec.of(source, label, value));
            }
            case "timestamp" -> {
                String source = s.string("source", "");
                String format = s.string("format", "");
                List<String> fallbacks = strings(s, "fallback_formats");
                Optional<String> location = s.string("location");
                Optional<String> action = s.string("action_on_failure");
                return build(valueAt(s, "format", at), s.keyPath("format"),
                        () -> TimestampStage.Spec.of(source, format, fallbacks, location, action));
            }
            case "multiline" -> {
                String firstline = s.string("firstline", "");
                long wait = s.duration("max_wait_time", java.time.Duration.ofNanos(MultilineStage.Spec.DEFAULT_MAX_WAIT_NANOS))
                        .toNanos();
                // Promtail compares the block's line count with max_lines after adding a line, so 0 never matches: no limit.
                long lines = s.integer("max_lines", (int) MultilineStage.Spec.DEFAULT_MAX_LINES, 0, Integer.MAX_VALUE,
                        "a whole number of lines (0: no limit)");
                return build(valueAt(s, "firstline", at), s.keyPath("firstline"), () -> MultilineStage.Spec.of(firstline, wait, lines));
            }
            case "drop" -> {
                List<String> sources = strings(s, "source");
                Optional<String> value = s.string("value");
                Optional<String> expression = s.string("expression");
                String separator = s.string("separator", ";");
                long older = s.entry("older_than").isPresent()
                        ? s.duration("older_than", java.time.Duration.ZERO).toNanos() : -1;
                long longer = s.parsed("longer_than", "a size like 8KB or 1024", t -> Optional.of(ByteSize.parse(t))
                        .filter(v -> v >= 0)).orElse(-1L);
                Optional<String> reason = s.string("drop_counter_reason");
                return build(valueAt(s, "expression", at), name, () -> DropStage.Spec.of(sources, value, expression, separator,
                        older, longer, reason));
            }
            case "match" -> {
                String selector = s.string("selector", "");
                Optional<String> action = s.string("action");
                Optional<String> reason = s.string("drop_counter_reason");
                Optional<String> pipelineName = s.entry("pipeline_name").isPresent()
                        ? Optional.of(s.string("pipeline_name", "")) : Optional.empty();
                List<StageSpec> nested = stages(s, "stages");
                return build(valueAt(s, "selector", at), s.keyPath("selector"),
                        () -> MatchStage.Spec.of(selector, nested, action, reason, pipelineName));
            }
            case "pack" -> {
                List<String> labels = strings(s, "labels");
                boolean ingest = s.bool("ingest_timestamp", true);
                return Optional.of(new LineStages.PackSpec(labels, ingest));
            }
            case "cri" -> {
                int max = s.integer("max_partial_lines", FormatStages.CriSpec.DEFAULT_MAX_PARTIAL_LINES, 0, Integer.MAX_VALUE,
                        "a whole number, 0 or more");
                long size = s.bytes("max_partial_line_size", 0);
                boolean truncate = s.bool("max_partial_line_size_truncate", false);
                return Optional.of(new FormatStages.CriSpec(max == 0 ? FormatStages.CriSpec.DEFAULT_MAX_PARTIAL_LINES : max,
                        size, truncate));
            }
            case "limit" -> {
                double rate = number(s, "rate");
                int burst = s.integer("burst", 0, 0, Integer.MAX_VALUE, "a whole number above 0");
                boolean drop = s.bool("drop", false);
                Optional<String> byLabel = s.string("by_label_name");
                int maxDistinct = s.integer("max_distinct_labels", 0, 0, Integer.MAX_VALUE, "a whole number");
                return build(at, name, () -> RateStages.LimitSpec.of(rate, burst, drop, byLabel, maxDistinct));
            }
            case "sampling" -> {
                double rate = number(s, "rate");
                Optional<String> reason = s.string("drop_counter_reason");
                return build(valueAt(s, "rate", at), s.keyPath("rate"), () -> RateStages.SamplingSpec.of(rate, reason));
            }
            case "metrics" -> {
                return metrics(s, at);
            }
            default -> {
                ctx.error(at, s.path(), "unknown stage; Promtail's stages are docker, cri, regex, json, logfmt, replace,"
                        + " multiline, decolorize, template, pack, timestamp, output, labels, static_labels, labeldrop,"
                        + " labelallow, structured_metadata, tenant, limit, sampling, metrics, match, drop");
                for (Node.Entry e : s.unread()) {
                    s.markRead(e.key());
                }
                return Optional.empty();
            }
        }
    }

    /** {@code metrics: {name: {type, description, source, prefix, max_idle_duration, config: {...}}}}. */
    private Optional<StageSpec> metrics(Section s, Node.Location at) {
        List<MetricsStage.Metric> metrics = new ArrayList<>();
        boolean ok = true;
        for (Node.Entry e : s.unread()) {
            Optional<Section> m = s.section(e.key(), "type: Counter, config: {action: inc}");
            if (m.isEmpty()) {
                continue;
            }
            Section ms = m.get();
            String type = ms.string("type", "");
            String description = ms.string("description", "");
            Optional<String> source = ms.string("source");
            String prefix = ms.string("prefix", "");
            Optional<Long> idle = ms.entry("max_idle_duration").isPresent()
                    ? Optional.of(ms.duration("max_idle_duration", java.time.Duration.ZERO).toNanos()) : Optional.empty();
            Section config = ms.section("config", "action: inc").orElse(Section.of(ctx, new Node.Scalar(ms.location(), "",
                    Node.Scalar.Kind.NULL), ms.keyPath("config"), "action: inc"));
            Optional<String> value = config.string("value");
            String action = config.string("action", "");
            boolean matchAll = config.bool("match_all", false);
            boolean countBytes = config.bool("count_entry_bytes", false);
            List<Double> buckets = new ArrayList<>();
            for (Node b : config.list("buckets", "[0.1, 1, 10]")) {
                try {
                    buckets.add(Double.parseDouble(((Node.Scalar) b).text().trim()));
                } catch (RuntimeException bad) {
                    ctx.error(b.location(), config.keyPath("buckets"), "expected a number, found " + b.describe());
                }
            }
            config.finishIgnoringUnknown();
            ms.finishIgnoringUnknown();
            ok &= check(ms.entry("type").map(x -> x.value().location()).orElse(e.keyLocation()), ms.path(),
                    () -> metrics.add(MetricsStage.Metric.of(e.key(), type, description, source, prefix, idle, value, action,
                            matchAll, countBytes, buckets)));
        }
        return ok ? build(at, s.path(), () -> new MetricsStage.Spec(metrics)) : Optional.empty();
    }

    private static Node.Location valueAt(Section s, String key, Node.Location fallback) {
        return s.entry(key).map(e -> e.value().location()).orElse(fallback);
    }

    /** A string or a list of strings (drop's source, timestamp's fallback_formats, pack's labels). */
    private List<String> strings(Section s, String key) {
        List<String> out = new ArrayList<>();
        Optional<Node.Entry> e = s.entry(key);
        if (e.isEmpty()) {
            return out;
        }
        if (e.get().value() instanceof Node.Scalar sc) {
            if (!sc.isNull() && s.expandedOk(sc, s.keyPath(key))) {
                out.add(sc.text());
            }
            return out;
        }
        for (Node n : s.list(e, "[a, b]")) {
            if (n instanceof Node.Scalar sc && !sc.isNull()) {
                out.add(sc.text());
            } else {
                ctx.error(n.location(), s.keyPath(key), "expected a text value, found " + n.describe());
            }
        }
        return out;
    }

    private static double number(Section s, String key) {
        return s.parsed(key, "a number like 10 or 0.5", t -> {
            try {
                return Optional.of(Double.parseDouble(t.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }).orElse(0.0);
    }

    /** Builds a spec; the stage's own check failing becomes an error at {@code at} (and no spec). */
    private Optional<StageSpec> build(Node.Location at, String path, Supplier<StageSpec> make) {
        try {
            return Optional.of(make.get());
        } catch (IllegalArgumentException e) {
            ctx.error(at, path, e.getMessage());
            return Optional.empty();
        }
    }

    private boolean check(Node.Location at, String path, Runnable validate) {
        try {
            validate.run();
            return true;
        } catch (IllegalArgumentException e) {
            ctx.error(at, path, e.getMessage());
            return false;
        }
    }
}
