package tailflow.provisioner.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The bundle each host gets: the release's files for its architecture only (JNA's jar without
 * the natives of other platforms: 7.1 -> 5.4 MB, a quarter less to send, check and unpack per
 * host). Derived from the full bundle once per architecture family and release, kept beside it
 * in the bundle cache, and shared by every host of that family in a run. The release id stays the
 * full bundle's (the same build); each architecture's {@code MANIFEST.sha256} lists its own files,
 * so a host's installed copy is checked against what it was sent. A machine this does not know
 * gets the full bundle.
 */
public final class ArchBundles {

    private final Bundle full;
    private final Path cacheDir;
    private final HashCache hashes;
    private final Map<String, Bundle> byFamily = new HashMap<>();

    /** @param cacheDir where per-architecture bundles are written and found again */
    public ArchBundles(Bundle full, Path cacheDir) {
        this(full, cacheDir, HashCache.none());
    }

    /** @param hashes sums of bundles unchanged since an earlier run */
    public ArchBundles(Bundle full, Path cacheDir, HashCache hashes) {
        this.full = full;
        this.cacheDir = cacheDir;
        this.hashes = hashes;
    }

    /** Every host gets {@code bundle} as it is, whatever its architecture. */
    public static ArchBundles same(Bundle bundle) {
        return new ArchBundles(bundle, null);
    }

    public Bundle full() {
        return full;
    }

    /** The bundle for a host whose {@code uname -m} is {@code machine}. */
    public Bundle forMachine(String machine) throws IOException {
        Optional<JnaNatives.Family> family = JnaNatives.family(machine);
        if (family.isEmpty() || cacheDir == null) {
            return full;
        }
        synchronized (byFamily) {
            Bundle b = byFamily.get(family.get().name());
            if (b == null) {
                b = derive(family.get());
                byFamily.put(family.get().name(), b);
            }
            return b;
        }
    }

    private Bundle derive(JnaNatives.Family family) throws IOException {
        Files.createDirectories(cacheDir);
        Path out = cacheDir.resolve("tailflow-agent-" + full.releaseId() + "-" + family.name() + ".tar.gz");
        if (Files.isRegularFile(out)) {
            try {
                Bundle cached = Bundle.read(out, hashes);
                if (cached.releaseId().equals(full.releaseId())) {
                    return cached;
                }
            } catch (IOException e) {
                // unreadable leftover: derive again below
            }
        }
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (InputStream raw = Files.newInputStream(full.file());
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName().replaceFirst("^\\./", "");
                if (e.isDirectory() || name.equals(Bundle.VERSION_ENTRY) || name.equals(Bundle.MANIFEST_ENTRY)) {
                    continue;
                }
                byte[] data = tar.readAllBytes();
                files.put(name, JnaNatives.isJnaJar(name) ? JnaNatives.keepOnly(data, family.prefixes()) : data);
            }
        }
        SortedMap<String, String> sums = BundleArchive.sums(files);
        for (var e : full.manifest().entrySet()) {
            // every other file exactly as the full bundle's manifest says: a damaged bundle is not passed on
            if (!JnaNatives.isJnaJar(e.getKey()) && !e.getValue().equals(sums.get(e.getKey()))) {
                throw new IOException(full.file() + ": " + e.getKey() + " does not match the bundle's " + Bundle.MANIFEST_ENTRY);
            }
        }
        if (!sums.keySet().equals(full.manifest().keySet())) {
            throw new IOException(full.file() + ": its files are not the ones its " + Bundle.MANIFEST_ENTRY + " lists");
        }
        BundleArchive.write(out, files, sums, full.releaseId());
        return new Bundle(out, full.version(), full.releaseId(), hashes.sha256(out), Files.size(out), sums,
                new String(files.get(Bundle.UNIT_ENTRY), StandardCharsets.UTF_8));
    }
}
