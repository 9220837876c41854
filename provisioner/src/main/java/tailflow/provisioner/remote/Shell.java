package tailflow.provisioner.remote;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** What every script shares: the prelude and safe ways to put values into sh. */
final class Shell {

    /**
     * The caller's stdin (the bundle, when one is sent) moves to fd 3 and everything else reads
     * /dev/null: a command that reads stdin must never eat bundle bytes. {@code step} and
     * {@code fail} print the {@link Marker} lines.
     */
    static final String PRELUDE = """
            set -u
            exec 3<&0 </dev/null
            export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
            step() { echo "@@step $1"; }
            fail() { echo "@@fail $1 $2"; exit 1; }
            """;

    private Shell() {}

    /** A single-quoted sh word. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Text as base64 lines, for a quoted here-document (no expansion, any content). */
    static String base64(String text) {
        return Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code /a/b/name} -> {@code /a/b/.name.prev}: where the previous version waits for a rollback. */
    static String prev(String path) {
        int slash = path.lastIndexOf('/');
        return path.substring(0, slash + 1) + "." + path.substring(slash + 1) + ".prev";
    }

    static String dir(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }
}
