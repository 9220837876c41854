package tailflow.agent.relabel;

import com.google.re2j.Matcher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tailflow.agent.pipeline.Labels;

/**
 * Applies a target's {@code relabel_configs} to a label set, in order, with Prometheus' semantics
 * ({@code relabel.Process}): a rule may drop the whole set; setting a label to the empty string
 * removes it. Immutable and thread-safe.
 */
public final class Relabeler {
    private final List<RelabelRule> rules;

    public Relabeler(List<RelabelRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public List<RelabelRule> rules() {
        return rules;
    }

    /**
     * The labels these rules can read, or empty when they can read any label (labelmap,
     * labeldrop and labelkeep look at every name). A source that makes many labels nobody reads
     * (the journal: one per field) may then skip making the others, as they are dropped anyway
     * after relabelling.
     */
    public Optional<java.util.Set<String>> labelsRead() {
        java.util.Set<String> read = new java.util.HashSet<>();
        for (RelabelRule r : rules) {
            switch (r.action()) {
                case LABELMAP, LABELDROP, LABELKEEP -> {
                    return Optional.empty();
                }
                case KEEPEQUAL, DROPEQUAL -> read.add(r.targetLabel());
                default -> { }
            }
            read.addAll(r.sourceLabels());
        }
        return Optional.of(java.util.Set.copyOf(read));
    }

    /** The relabelled set, or empty when a keep/drop rule dropped it. */
    public Optional<Labels> apply(Labels in) {
        Labels labels = in;
        for (RelabelRule rule : rules) {
            labels = apply(rule, labels);
            if (labels == null) {
                return Optional.empty();
            }
        }
        return Optional.of(labels);
    }

    /** One rule; null means drop. */
    private static Labels apply(RelabelRule rule, Labels labels) {
        String value = sourceValue(rule, labels);
        switch (rule.action()) {
            case DROP:
                return rule.regex().matches(value) ? null : labels;
            case KEEP:
                return rule.regex().matches(value) ? labels : null;
            case DROPEQUAL:
                return value.equals(valueOf(labels, rule.targetLabel())) ? null : labels;
            case KEEPEQUAL:
                return value.equals(valueOf(labels, rule.targetLabel())) ? labels : null;
            case REPLACE:
                return replace(rule, labels, value);
            case LOWERCASE:
                return set(labels, rule.targetLabel(), value.toLowerCase(Locale.ROOT));
            case UPPERCASE:
                return set(labels, rule.targetLabel(), value.toUpperCase(Locale.ROOT));
            case HASHMOD:
                return set(labels, rule.targetLabel(), Long.toUnsignedString(hashMod(value, rule.modulus())));
            case LABELMAP: {
                Labels out = labels;
                Map<String, Integer> names = rule.regex().namedGroups();
                for (int i = 0; i < labels.size(); i++) {
                    Matcher m = rule.regex().matcher(labels.name(i));
                    if (m.matches()) {
                        out = set(out, GoTemplate.expand(rule.replacement(), m, names), labels.value(i));
                    }
                }
                return out;
            }
            case LABELDROP:
            case LABELKEEP: {
                boolean dropMatching = rule.action() == RelabelAction.LABELDROP;
                Labels out = labels;
                for (int i = 0; i < labels.size(); i++) {
                    if (rule.regex().matches(labels.name(i)) == dropMatching) {
                        out = out.without(labels.name(i));
                    }
                }
                return out;
            }
            default:
                throw new IllegalStateException("unknown relabel action " + rule.action());
        }
    }

    private static Labels replace(RelabelRule rule, Labels labels, String value) {
        Matcher m = rule.regex().matcher(value);
        if (!m.matches()) {
            return labels;
        }
        Map<String, Integer> names = rule.regex().namedGroups();
        String target = GoTemplate.expand(rule.targetLabel(), m, names);
        if (!Labels.isValidName(target)) {
            return labels;
        }
        return set(labels, target, GoTemplate.expand(rule.replacement(), m, names));
    }

    private static String sourceValue(RelabelRule rule, Labels labels) {
        List<String> sources = rule.sourceLabels();
        if (sources.size() == 1) {
            return valueOf(labels, sources.get(0));
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sources.size(); i++) {
            if (i > 0) {
                sb.append(rule.separator());
            }
            sb.append(valueOf(labels, sources.get(i)));
        }
        return sb.toString();
    }

    private static String valueOf(Labels labels, String name) {
        String v = labels.get(name);
        return v == null ? "" : v;
    }

    /** Prometheus' label builder: an empty value removes the label. */
    private static Labels set(Labels labels, String name, String value) {
        return value.isEmpty() ? labels.without(name) : labels.with(name, value);
    }

    /** The last 8 bytes of the value's MD5, big-endian, modulo {@code modulus} (both unsigned), as Prometheus. */
    static long hashMod(String value, long modulus) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
        byte[] hash = md5.digest(value.getBytes(StandardCharsets.UTF_8));
        long tail = 0;
        for (int i = 8; i < 16; i++) {
            tail = tail << 8 | (hash[i] & 0xff);
        }
        return Long.remainderUnsigned(tail, modulus);
    }
}
