package tailflow.agent.config;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Turns a config file's bytes into text, refusing binary data with the position of the first bad byte. */
final class ConfigText {
    private ConfigText() {}

    static String decode(String file, byte[] bytes) throws ConfigException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String text;
        try {
            text = decoder.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            int bad = firstInvalidUtf8(bytes);
            String prefix = new String(bytes, 0, bad, StandardCharsets.UTF_8);
            throw binary(file, prefix, prefix.length(), String.format("byte 0x%02x", bytes[bad] & 0xff));
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                throw binary(file, text, i, String.format("control character 0x%02x", (int) c));
            }
        }
        return text;
    }

    private static ConfigException binary(String file, String text, int offset, String what) {
        Node.Location at = locate(text, offset);
        return new ConfigException(new ConfigError(file, at.line(), at.column(), "(document)",
                "expected a text config file, found binary data (" + what + ")"));
    }

    static Node.Location locate(String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Node.Location(line, offset - lineStart + 1);
    }

    private static int firstInvalidUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int lo = 0;
        int hi = bytes.length;
        // The longest valid prefix, by bisection: decoding is cheap and files are small.
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            try {
                decoder.reset().decode(ByteBuffer.wrap(bytes, 0, mid));
                lo = mid;
            } catch (CharacterCodingException e) {
                hi = mid - 1;
            }
        }
        // A valid prefix may end inside a multi-byte character that is then broken: report its start.
        int start = lo;
        while (start > 0 && (bytes[start] & 0xC0) == 0x80) {
            start--;
        }
        return Math.min(start, bytes.length - 1);
    }

}
