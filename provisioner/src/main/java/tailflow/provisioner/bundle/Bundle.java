package tailflow.provisioner.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A release bundle: a tar.gz with {@code bin/agent}, {@code lib/*.jar}, the unit
 * {@code tailflow-agent.service}, {@code VERSION} (the release id) and {@code MANIFEST.sha256}
 * (sha256sum lines for every other file), as {@link BundleBuilder} writes it.
 *
 * @param releaseId directory name under /opt/tailflow/releases: version plus a content hash, so a
 *                  rebuilt jar is a new release and an identical build is the same one
 * @param sha256    of the tar.gz, checked on the host after upload
 * @param manifest  relative path -> sha256, compared with the host's installed files
 */
public record Bundle(Path file, String version, String releaseId, String sha256, long size,
                     Map<String, String> manifest, String unit) {

    public static final String UNIT_ENTRY = "tailflow-agent.service";
    public static final String VERSION_ENTRY = "VERSION";
    public static final String MANIFEST_ENTRY = "MANIFEST.sha256";

    public Bundle {
        manifest = Map.copyOf(manifest);
    }

    /** Reads a bundle built earlier (by this provisioner or another run of it). */
    public static Bundle read(Path file) throws IOException {
        return read(file, HashCache.none());
    }

    /** As {@link #read(Path)}, the file's sha256 from {@code hashes} when it is unchanged since last hashed. */
    public static Bundle read(Path file, HashCache hashes) throws IOException {
        Map<String, byte[]> wanted = new LinkedHashMap<>();
        try (InputStream raw = Files.newInputStream(file);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName().replaceFirst("^\\./", "");
                if (name.equals(UNIT_ENTRY) || name.equals(VERSION_ENTRY) || name.equals(MANIFEST_ENTRY)) {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    tar.transferTo(b);
                    wanted.put(name, b.toByteArray());
                    if (wanted.size() == 3) {
                        break; // bundles put these first: the jars need not be inflated
                    }
                }
            }
        }
        for (String required : new String[] {UNIT_ENTRY, VERSION_ENTRY, MANIFEST_ENTRY}) {
            if (!wanted.containsKey(required)) {
                throw new IOException(file + " is not a tailflow bundle: no " + required + " inside");
            }
        }
        String releaseId = new String(wanted.get(VERSION_ENTRY), StandardCharsets.UTF_8).strip();
        Map<String, String> manifest = new TreeMap<>();
        for (String line : new String(wanted.get(MANIFEST_ENTRY), StandardCharsets.UTF_8).split("\n")) {
            if (line.length() > 66) {
                manifest.put(line.substring(66), line.substring(0, 64));
            }
        }
        String version = releaseId.contains("-") ? releaseId.substring(0, releaseId.lastIndexOf('-')) : releaseId;
        return new Bundle(file, version, releaseId, hashes.sha256(file), Files.size(file), manifest,
                new String(wanted.get(UNIT_ENTRY), StandardCharsets.UTF_8));
    }
}
