package tailflow.systemtest.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tailflow.systemtest.loki.LokiReceiver;

/** The exactly-once verdict over a receiver's numbered lines. */
final class ExactlyOnce {
    private ExactlyOnce() {}

    /** Numbers as ranges, {@code [1-5, 9]}, at most 20 of them. */
    static String ranges(List<Integer> numbers) {
        StringBuilder sb = new StringBuilder("[");
        int shown = 0;
        for (int i = 0; i < numbers.size() && shown < 20; shown++) {
            int j = i;
            while (j + 1 < numbers.size() && numbers.get(j + 1) == numbers.get(j) + 1) {
                j++;
            }
            sb.append(shown == 0 ? "" : ", ").append(numbers.get(i)).append(i == j ? "" : "-" + numbers.get(j));
            i = j + 1;
        }
        return sb.append(']').toString();
    }

    /** Prints which numbers are missing or doubled (for a failure's diagnosis). */
    static void report(LokiReceiver loki, int lines) {
        int[] seen = new int[lines + 1];
        for (LokiReceiver.Entry e : loki.entries()) {
            int seq = NumberedWriter.seqOf(e.line());
            if (seq >= 1 && seq <= lines) {
                seen[seq]++;
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 1; i <= lines; i++) {
            if (seen[i] == 0) {
                missing.add(i);
            }
        }
        System.out.println("missing so far: " + missing.size() + " " + ranges(missing));
    }

    /** Every number 1..lines stored exactly once, nothing else, all under {@code filename=file}. */
    static void assertEveryNumberOnce(LokiReceiver loki, int lines, Path file) {
        int[] seen = new int[lines + 1];
        for (LokiReceiver.Entry e : loki.entries()) {
            int seq = NumberedWriter.seqOf(e.line());
            assertThat(seq).as("line %s", e.line()).isBetween(1, lines);
            seen[seq]++;
            assertThat(LokiReceiverAccess.labels(e)).containsEntry("filename", file.toString());
        }
        List<Integer> missing = new ArrayList<>();
        List<Integer> doubled = new ArrayList<>();
        for (int i = 1; i <= lines; i++) {
            if (seen[i] == 0) {
                missing.add(i);
            } else if (seen[i] > 1) {
                doubled.add(i);
            }
        }
        System.out.println("exactly once: " + (lines - missing.size()) + " of " + lines + " stored, " + missing.size()
                + " missing " + ranges(missing) + ", " + doubled.size() + " more than once " + ranges(doubled) + "; receiver: "
                + loki.stats());
        assertThat(missing).as("missing numbers (%d)", missing.size()).isEmpty();
        assertThat(doubled).as("numbers stored more than once (%d)", doubled.size()).isEmpty();
        assertThat(loki.storedCount()).isEqualTo(lines);
    }
}
