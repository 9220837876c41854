package tailflow.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import tailflow.agent.pipeline.Checkpoint;

class JournalProgressTest {
    private static Checkpoint.JournalCursor c(int i) {
        return new Checkpoint.JournalCursor("cursor-j", "c" + i, i);
    }

    @Test
    void advancesOnlyOnAcknowledgement() {
        JournalProgress p = new JournalProgress(Optional.of(c(0)));
        p.handed(c(1));
        p.handed(c(2));
        assertThat(p.position()).contains(c(0));
        assertThat(p.takeChanged()).isFalse();
        p.acknowledged(c(1));
        assertThat(p.position()).contains(c(1));
        assertThat(p.takeChanged()).isTrue();
        assertThat(p.takeChanged()).isFalse();
    }

    @Test
    void skippedEntriesWaitForWhatWasSentBeforeThem() {
        JournalProgress p = new JournalProgress(Optional.empty());
        p.skipped(c(1));
        assertThat(p.position()).contains(c(1));
        p.handed(c(2));
        p.skipped(c(3));
        assertThat(p.position()).contains(c(1));
        p.acknowledged(c(2));
        assertThat(p.position()).contains(c(3));
        p.handed(c(4));
        p.skipped(c(5));
        p.handed(c(6));
        p.acknowledged(c(4));
        assertThat(p.position()).contains(c(4));
        p.acknowledged(c(6));
        assertThat(p.position()).contains(c(6));
    }
}
