package tailflow.agent.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A file's identity: (device, inode). A path is only where the file is found today; after a
 * rename it is found elsewhere with the same identity.
 */
public record FileIdentity(long device, long inode) {

    /** Stats {@code path} (following symbolic links). */
    public static FileIdentity of(Path path) throws IOException {
        Map<String, Object> attrs = Files.readAttributes(path, "unix:dev,ino");
        return new FileIdentity(((Number) attrs.get("dev")).longValue(), ((Number) attrs.get("ino")).longValue());
    }

    /** Like {@link #of(Path)} but null when the path does not exist (or cannot be stat'ed). */
    public static FileIdentity ofOrNull(Path path) {
        try {
            return of(path);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return device + ":" + inode;
    }
}
