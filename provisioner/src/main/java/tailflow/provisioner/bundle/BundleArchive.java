package tailflow.provisioner.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes a bundle's tar.gz, deterministically (sorted entries, fixed times and owners, gzip
 * without a timestamp): the same files give the same bytes. {@code VERSION}, {@code MANIFEST.sha256}
 * and the unit come first, so reading a bundle's description stops after three entries.
 */
final class BundleArchive {

    private static final long FIXED_MTIME = 0L;

    private BundleArchive() {}

    /** sha256 per file, in path order. */
    static SortedMap<String, String> sums(SortedMap<String, byte[]> files) {
        SortedMap<String, String> sums = new TreeMap<>();
        files.forEach((path, data) -> sums.put(path, Hashing.sha256(data)));
        return sums;
    }

    /** sha256sum lines for every file, in path order: the bundle's {@code MANIFEST.sha256}. */
    static String manifest(SortedMap<String, String> sums) {
        StringBuilder text = new StringBuilder();
        sums.forEach((path, sum) -> text.append(sum).append("  ").append(path).append('\n'));
        return text.toString();
    }

    /** Writes the bundle to {@code out} through a temp file and an atomic rename. */
    static void write(Path out, SortedMap<String, byte[]> files, SortedMap<String, String> sums, String releaseId)
            throws IOException {
        Path tmp = Files.createTempFile(out.getParent(), ".bundle", ".tmp");
        GzipParameters gz = new GzipParameters();
        gz.setModificationTime(FIXED_MTIME);
        // Jars are compressed already; the fastest level loses ~1% size and saves most of the CPU.
        gz.setCompressionLevel(java.util.zip.Deflater.BEST_SPEED);
        try (OutputStream raw = Files.newOutputStream(tmp);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(raw, gz))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            file(tar, Bundle.VERSION_ENTRY, (releaseId + "\n").getBytes(StandardCharsets.UTF_8), 0644);
            file(tar, Bundle.MANIFEST_ENTRY, manifest(sums).getBytes(StandardCharsets.UTF_8), 0644);
            if (files.containsKey(Bundle.UNIT_ENTRY)) {
                file(tar, Bundle.UNIT_ENTRY, files.get(Bundle.UNIT_ENTRY), 0644);
            }
            directory(tar, "bin/");
            directory(tar, "lib/");
            for (var e : files.entrySet()) {
                if (!e.getKey().equals(Bundle.UNIT_ENTRY)) {
                    file(tar, e.getKey(), e.getValue(), e.getKey().startsWith("bin/") ? 0755 : 0644);
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        normalize(e);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] data, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        e.setMode(0100000 | mode);
        normalize(e);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static void normalize(TarArchiveEntry e) {
        e.setModTime(FIXED_MTIME);
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("root");
        e.setGroupName("root");
    }
}
