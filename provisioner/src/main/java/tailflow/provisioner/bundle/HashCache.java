package tailflow.provisioner.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * sha256 of files, remembered across runs by path, size and modification time (as make and git's
 * index decide that a file is unchanged). The provisioner runs with C1 only, where SHA-256 has no
 * intrinsic: hashing the agent's jars and the bundles (~20 MB) was half of a no-op apply's CPU.
 * A file rewritten in place within the same millisecond with the same size would be missed; a
 * stale bundle sum would then be refused loudly by the host's check, never installed.
 */
public final class HashCache {

    /** One remembered file: what it was when hashed. */
    private record Entry(long size, long mtimeNanos, String sha256) {}

    private final Path index;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private boolean changed;

    private HashCache(Path index) {
        this.index = index;
    }

    /** The cache kept in {@code dir} (created when first saved); an unreadable index is started afresh. */
    public static HashCache in(Path dir) {
        HashCache c = new HashCache(dir.resolve("sha256.index"));
        try {
            for (String line : Files.readAllLines(c.index, StandardCharsets.UTF_8)) {
                String[] f = line.split(" ", 4);
                if (f.length == 4 && f[0].length() == 64) {
                    c.entries.put(f[3], new Entry(Long.parseLong(f[1]), Long.parseLong(f[2]), f[0]));
                }
            }
        } catch (NoSuchFileException e) {
            // first run
        } catch (IOException | RuntimeException e) {
            c.entries.clear();
        }
        return c;
    }

    /** A cache that remembers nothing between runs (tests; a read-only home). */
    public static HashCache none() {
        return new HashCache(null);
    }

    public synchronized String sha256(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        BasicFileAttributes a = Files.readAttributes(abs, BasicFileAttributes.class);
        long mtime = a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L + a.lastModifiedTime().toInstant().getNano();
        Entry known = entries.get(abs.toString());
        if (known != null && known.size() == a.size() && known.mtimeNanos() == mtime) {
            return known.sha256();
        }
        String sum = Hashing.sha256(abs);
        entries.put(abs.toString(), new Entry(a.size(), mtime, sum));
        changed = true;
        return sum;
    }

    /**
     * Writes the index if anything was hashed, keeping entries of files that still exist. Only a
     * cache: when it cannot be written (a read-only home) the next run hashes again.
     */
    public synchronized void save() {
        if (index == null || !changed) {
            return;
        }
        try {
            write();
        } catch (IOException e) {
            // next run hashes again
        }
    }

    private void write() throws IOException {
        StringBuilder text = new StringBuilder();
        for (var e : entries.entrySet()) {
            if (Files.exists(Path.of(e.getKey()))) {
                Entry v = e.getValue();
                text.append(v.sha256()).append(' ').append(v.size()).append(' ').append(v.mtimeNanos()).append(' ')
                        .append(e.getKey()).append('\n');
            }
        }
        Files.createDirectories(index.getParent());
        Path tmp = Files.createTempFile(index.getParent(), ".sha256", ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, index, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        changed = false;
    }

    /** Entries, for tests. */
    synchronized List<String> paths() {
        return List.copyOf(entries.keySet());
    }
}
