package tailflow.agent.config;

import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tailflow.agent.pipeline.Labels;
import tailflow.agent.relabel.RelabelAction;
import tailflow.agent.relabel.RelabelRule;

/**
 * Reads a scrape config's {@code relabel_configs} with Prometheus' defaults and validation; every
 * problem (bad RE2 regex, unknown action, missing target_label, ...) names FILE:LINE:COLUMN.
 */
final class RelabelBinder {
    private static final String EXAMPLE = "- source_labels: [__journal__systemd_unit]\n    target_label: unit";
    private static final List<String> KEYS = List.of(
            "source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action");

    private final BindContext ctx;

    RelabelBinder(BindContext ctx) {
        this.ctx = ctx;
    }

    List<RelabelRule> bind(Section scrape) {
        List<RelabelRule> out = new ArrayList<>();
        List<Node> items = scrape.list("relabel_configs", EXAMPLE);
        for (int i = 0; i < items.size(); i++) {
            Section r = Section.of(ctx, items.get(i), scrape.keyPath("relabel_configs") + "[" + i + "]",
                    "source_labels: [__journal__systemd_unit], target_label: unit");
            rule(r).ifPresent(out::add);
        }
        return out;
    }

    private Optional<RelabelRule> rule(Section r) {
        Set<String> given = new LinkedHashSet<>();
        for (String k : KEYS) {
            if (r.entry(k).isPresent()) {
                given.add(k);
            }
        }
        List<String> sources = sourceLabels(r);
        String separator = r.string("separator", RelabelRule.DEFAULT_SEPARATOR);
        String regexText = r.string("regex", RelabelRule.DEFAULT_REGEX);
        boolean regexOk = true;
        try {
            RelabelRule.anchored(regexText);
        } catch (PatternSyntaxException bad) {
            regexOk = false;
            Node.Entry e = r.entry("regex").orElseThrow();
            ctx.error(e.value().location(), r.keyPath("regex"), "expected a regular expression in RE2 syntax: "
                    + bad.getDescription() + " in '" + regexText + "'");
        }
        long modulus = r.parsed("modulus", "a whole number from 1 to 18446744073709551615", RelabelBinder::unsigned)
                .orElse(0L);
        String target = r.string("target_label", "");
        String replacement = r.string("replacement", RelabelRule.DEFAULT_REPLACEMENT);
        Optional<RelabelAction> action = r.parsed("action", "one of " + RelabelAction.allNames(),
                RelabelAction::parse);
        boolean actionOk = action.isPresent() || r.entry("action").isEmpty();
        r.finish(Set.of());
        if (!regexOk || !actionOk) {
            return Optional.empty();
        }
        RelabelRule rule = RelabelRule.of(sources, separator, regexText, modulus, target, replacement,
                action.orElse(RelabelAction.REPLACE));
        for (RelabelRule.Problem p : rule.problems(given)) {
            Node.Location at = r.entry(p.key()).map(e -> e.value().location())
                    .orElse(r.entry("action").map(Node.Entry::keyLocation).orElse(r.location()));
            ctx.error(at, r.keyPath(p.key()), p.message());
        }
        return Optional.of(rule);
    }

    private List<String> sourceLabels(Section r) {
        List<String> out = new ArrayList<>();
        for (Node n : r.list("source_labels", "source_labels: [__journal__systemd_unit, __journal_priority]")) {
            if (n instanceof Node.Scalar s && !s.isNull() && r.expandedOk(s, r.keyPath("source_labels"))) {
                if (Labels.isValidName(s.text())) {
                    out.add(s.text());
                } else {
                    ctx.error(s.location(), r.keyPath("source_labels"), "'" + s.text() + "' is not a valid label name:"
                            + " expected letters, digits and _ (not starting with a digit)");
                }
            } else if (!(n instanceof Node.Scalar)) {
                ctx.error(n.location(), r.keyPath("source_labels"), "expected a label name, found " + n.describe());
            }
        }
        return out;
    }

    private static Optional<Long> unsigned(String text) {
        try {
            return Optional.of(Long.parseUnsignedLong(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
