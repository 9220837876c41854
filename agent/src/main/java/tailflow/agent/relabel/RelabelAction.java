package tailflow.agent.relabel;

import java.util.Locale;
import java.util.Optional;

/** Prometheus' relabel actions, named as in {@code relabel_configs}. */
public enum RelabelAction {
    REPLACE, KEEP, DROP, KEEPEQUAL, DROPEQUAL, HASHMOD, LABELMAP, LABELDROP, LABELKEEP, LOWERCASE, UPPERCASE;

    /** The action named {@code text}, in any case (Prometheus lower-cases it before comparing). */
    public static Optional<RelabelAction> parse(String text) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        for (RelabelAction a : values()) {
            if (a.configName().equals(lower)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The names, for an error message listing what is accepted. */
    public static String allNames() {
        StringBuilder sb = new StringBuilder();
        for (RelabelAction a : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(a.configName());
        }
        return sb.toString();
    }
}
