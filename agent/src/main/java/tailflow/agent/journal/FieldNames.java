package tailflow.agent.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Field names as they come out of libsystemd (the bytes before {@code =}), mapped to their
 * String and to their label name {@code __journal_<lower case>} without allocating for names
 * seen before: a journal has a few dozen distinct field names and each entry repeats ~20 of them.
 * A fixed-size table; a name that collides with another is simply decoded again.
 */
final class FieldNames {
    private static final int SLOTS = 512;

    private final byte[][] bytes = new byte[SLOTS][];
    private final String[] names = new String[SLOTS];
    private final String[] labels = new String[SLOTS];

    /** The slot holding the name in {@code buf[0..length)}, filling it if needed. */
    int slot(byte[] buf, int length) {
        int h = 1;
        for (int i = 0; i < length; i++) {
            h = 31 * h + buf[i];
        }
        int s = (h ^ h >>> 16) & (SLOTS - 1);
        byte[] known = bytes[s];
        if (known == null || !Arrays.equals(known, 0, known.length, buf, 0, length)) {
            bytes[s] = Arrays.copyOf(buf, length);
            names[s] = new String(buf, 0, length, StandardCharsets.US_ASCII);
            labels[s] = "__journal_" + names[s].toLowerCase(Locale.ROOT);
        }
        return s;
    }

    String name(int slot) {
        return names[slot];
    }

    String label(int slot) {
        return labels[slot];
    }
}
