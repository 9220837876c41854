package tailflow.agent.pipeline;

import java.util.Optional;

/**
 * Relabelling's place: once per target (a file glob, a journal job), never per entry. Takes the
 * target's discovered labels (internal {@code __} labels included, such as {@code __path__})
 * and gives the labels its entries start with, or empty to drop the target (Promtail's
 * {@code relabel_configs} with {@code action: drop}/{@code keep}). Internal labels are removed
 * by the caller afterwards.
 */
@FunctionalInterface
public interface Relabeling {

    Optional<Labels> apply(Labels discovered);

    /** No {@code relabel_configs}: labels pass unchanged. */
    static Relabeling identity() {
        return Optional::of;
    }
}
