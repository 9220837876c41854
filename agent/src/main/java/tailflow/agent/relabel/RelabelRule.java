package tailflow.agent.relabel;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tailflow.agent.pipeline.Labels;

/**
 * One {@code relabel_configs} entry, with Prometheus' defaults: separator {@code ;}, regex
 * {@code (.*)}, replacement {@code $1}, action {@code replace}.
 *
 * @param regex     anchored at both ends, as Prometheus compiles it (see {@link #anchored})
 * @param modulus   hashmod's modulus, an unsigned 64-bit value as in Prometheus
 * @param regexText the regex as written, for messages and the dry-run
 */
public record RelabelRule(
        List<String> sourceLabels,
        String separator,
        Pattern regex,
        String regexText,
        long modulus,
        String targetLabel,
        String replacement,
        RelabelAction action) {

    public static final String DEFAULT_SEPARATOR = ";";
    public static final String DEFAULT_REGEX = "(.*)";
    public static final String DEFAULT_REPLACEMENT = "$1";

    /** Prometheus' check for a templated target_label or labelmap replacement. */
    private static final Pattern TEMPLATED_NAME = Pattern.compile("^(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+$");

    public RelabelRule {
        sourceLabels = List.copyOf(sourceLabels);
    }

    /** A rule from its parts; {@code regexText} compiles as {@link #anchored}. */
    public static RelabelRule of(List<String> sourceLabels, String separator, String regexText, long modulus,
            String targetLabel, String replacement, RelabelAction action) {
        return new RelabelRule(sourceLabels, separator, anchored(regexText), regexText, modulus, targetLabel,
                replacement, action);
    }

    /**
     * Compiles {@code regex} as Prometheus does, {@code ^(?:regex)$}, with RE2 syntax.
     *
     * @throws PatternSyntaxException when it is not a valid RE2 expression
     */
    public static Pattern anchored(String regex) {
        return Pattern.compile("^(?:" + regex + ")$");
    }

    /** Something wrong with a rule, and the key to point at. */
    public record Problem(String key, String message) {}

    /**
     * Prometheus' validation of a rule ({@code relabel.Config.Validate}).
     *
     * @param given the keys the config wrote (keepequal, dropequal, labeldrop and labelkeep forbid the others)
     */
    public List<Problem> problems(Set<String> given) {
        List<Problem> out = new ArrayList<>();
        String act = action.configName();
        boolean needsTarget = switch (action) {
            case REPLACE, HASHMOD, LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL -> true;
            default -> false;
        };
        if (action == RelabelAction.HASHMOD && modulus == 0) {
            out.add(new Problem("modulus", "expected a modulus above 0 for the hashmod action"));
        }
        if (needsTarget && targetLabel.isEmpty()) {
            out.add(new Problem("target_label", "expected a target_label for the " + act + " action"));
        } else if (needsTarget) {
            boolean templated = action == RelabelAction.REPLACE && targetLabel.contains("$");
            boolean valid = templated ? TEMPLATED_NAME.matcher(targetLabel).matches() : Labels.isValidName(targetLabel);
            if (!valid) {
                out.add(new Problem("target_label", "'" + targetLabel + "' is not a valid target_label for the " + act
                        + " action: expected a label name made of letters, digits and _ (not starting with a digit)"
                        + (action == RelabelAction.REPLACE ? ", with $1 or ${name} references" : "")));
            }
        }
        switch (action) {
            case LOWERCASE, UPPERCASE -> {
                if (!replacement.equals(DEFAULT_REPLACEMENT)) {
                    out.add(new Problem("replacement", "cannot be set for the " + act + " action"));
                }
            }
            case LABELMAP -> {
                if (!TEMPLATED_NAME.matcher(replacement).matches()) {
                    out.add(new Problem("replacement", "'" + replacement + "' is not a valid replacement for the labelmap"
                            + " action: expected a label name, with $1 or ${name} references"));
                }
            }
            case KEEPEQUAL, DROPEQUAL -> onlyKeys(given, Set.of("source_labels", "target_label"), act, out);
            case LABELDROP, LABELKEEP -> onlyKeys(given, Set.of("regex"), act, out);
            default -> { }
        }
        return out;
    }

    /**
     * Prometheus compares separator, modulus, target_label and replacement with their defaults, and
     * counts source_labels and regex as set whenever they are written.
     */
    private void onlyKeys(Set<String> given, Set<String> allowed, String act, List<Problem> out) {
        for (String key : List.of("source_labels", "separator", "regex", "modulus", "target_label", "replacement")) {
            boolean set = switch (key) {
                case "separator" -> !separator.equals(DEFAULT_SEPARATOR);
                case "modulus" -> modulus != 0;
                case "target_label" -> !targetLabel.isEmpty();
                case "replacement" -> !replacement.equals(DEFAULT_REPLACEMENT);
                default -> given.contains(key);
            };
            if (set && !allowed.contains(key)) {
                out.add(new Problem(key, "cannot be set for the " + act + " action (it takes only "
                        + String.join(" and ", allowed.stream().sorted().toList()) + ")"));
            }
        }
    }
}
