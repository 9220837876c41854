package tailflow.agent.stages;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Sizes as Promtail reads them (go-humanize ParseBytes: 10, 10B, 8KB = 8000, 8KiB = 8192) and UTF-8 lengths. */
public final class ByteSize {
    private ByteSize() {}

    /** Bytes, or -1 for text that is not a size. */
    public static long parse(String text) {
        String s = text.trim().replace(",", "");
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            return -1;
        }
        double n;
        try {
            n = Double.parseDouble(s.substring(0, i));
        } catch (NumberFormatException e) {
            return -1;
        }
        String unit = s.substring(i).trim().toLowerCase(Locale.ROOT);
        double mult = switch (unit) {
            case "", "b" -> 1;
            case "k", "kb" -> 1e3;
            case "ki", "kib" -> 1024;
            case "m", "mb" -> 1e6;
            case "mi", "mib" -> 1024.0 * 1024;
            case "g", "gb" -> 1e9;
            case "gi", "gib" -> 1024.0 * 1024 * 1024;
            case "t", "tb" -> 1e12;
            case "ti", "tib" -> 1024.0 * 1024 * 1024 * 1024;
            default -> -1;
        };
        return mult < 0 ? -1 : (long) (n * mult);
    }

    /** The UTF-8 length of {@code s} (Go's len of a string). */
    static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }

    /** {@code s} cut to at most {@code max} UTF-8 bytes, at a character boundary. */
    static String truncateUtf8(String s, long max) {
        if (utf8Length(s) <= max) {
            return s;
        }
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > max) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }
}
