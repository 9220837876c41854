package tailflow.provisioner.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Builds the release bundle from a checkout after {@code mvn package}: {@code agent/target/agent.jar}
 * and {@code agent/target/lib/*.jar} into {@code lib/}, {@code packaging/bin/agent} into
 * {@code bin/} (the launcher finds {@code lib/agent.jar} beside {@code bin/}), and the unit
 * {@code packaging/tailflow-agent.service}. Deterministic (sorted entries, fixed times and owners,
 * gzip without a timestamp): the same inputs give the same bytes, hence the same release id.
 */
public final class BundleBuilder {

    private final Path checkout;
    private final HashCache hashes;

    public BundleBuilder(Path checkout) {
        this(checkout, HashCache.none());
    }

    /** @param hashes sums of unchanged inputs and bundles from earlier runs */
    public BundleBuilder(Path checkout, HashCache hashes) {
        this.checkout = checkout;
        this.hashes = hashes;
    }

    /** Writes {@code <outDir>/tailflow-agent-<releaseId>.tar.gz} and returns it. */
    public Bundle build(Path outDir) throws IOException {
        Path agentJar = checkout.resolve("agent/target/agent.jar");
        Path launcher = checkout.resolve("packaging/bin/agent");
        Path unit = checkout.resolve("packaging/" + Bundle.UNIT_ENTRY);
        for (Path p : new Path[] {agentJar, launcher, unit}) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("cannot build the release bundle: " + p + " is missing"
                        + (p == agentJar ? " (run 'mvn -DskipTests package' in " + checkout + ")" : ""));
            }
        }
        Map<String, Path> files = new TreeMap<>();
        files.put("bin/agent", launcher);
        files.put("lib/agent.jar", agentJar);
        Path lib = checkout.resolve("agent/target/lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                jars.filter(j -> j.toString().endsWith(".jar")).forEach(j -> files.put("lib/" + j.getFileName(), j));
            }
        }
        files.put(Bundle.UNIT_ENTRY, unit);
        SortedMap<String, String> known = new TreeMap<>();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            known.put(e.getKey(), hashes.sha256(e.getValue()));
        }
        String version = agentVersion(agentJar);
        Files.createDirectories(outDir);
        String knownId = releaseId(version, known);
        Path cachedFile = outDir.resolve("tailflow-agent-" + knownId + ".tar.gz");
        if (Files.isRegularFile(cachedFile)) {
            // Same inputs, same release id, same bytes: a bundle built earlier is reused as is.
            try {
                Bundle cached = Bundle.read(cachedFile, hashes);
                if (cached.releaseId().equals(knownId) && cached.manifest().equals(known)) {
                    return cached;
                }
            } catch (IOException e) {
                // unreadable leftover: rebuild below
            }
        }
        // Sums of the bytes actually packed (an input may have changed since it was hashed).
        SortedMap<String, byte[]> contents = new TreeMap<>();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            contents.put(e.getKey(), Files.readAllBytes(e.getValue()));
        }
        SortedMap<String, String> manifest = BundleArchive.sums(contents);
        String releaseId = releaseId(version, manifest);
        Path out = outDir.resolve("tailflow-agent-" + releaseId + ".tar.gz");
        BundleArchive.write(out, contents, manifest, releaseId);
        pruneOlderBundles(outDir, out);
        return new Bundle(out, version, releaseId, hashes.sha256(out), Files.size(out), manifest,
                new String(contents.get(Bundle.UNIT_ENTRY), StandardCharsets.UTF_8));
    }

    /** Version plus a hash of the manifest: a rebuilt jar is a new release, an identical build the same one. */
    private static String releaseId(String version, SortedMap<String, String> manifest) {
        return version + "-" + Hashing.sha256(BundleArchive.manifest(manifest)).substring(0, 12);
    }

    /** The cache keeps the sixteen newest bundles (per-architecture ones included): enough to roll between recent builds. */
    private static void pruneOlderBundles(Path dir, Path keep) throws IOException {
        try (Stream<Path> all = Files.list(dir)) {
            List<Path> bundles = all.filter(p -> p.getFileName().toString().startsWith("tailflow-agent-"))
                    .filter(p -> !p.equals(keep))
                    .sorted(java.util.Comparator.comparing((Path p) -> p.toFile().lastModified()).reversed())
                    .toList();
            for (Path old : bundles.subList(Math.min(15, bundles.size()), bundles.size())) {
                Files.deleteIfExists(old);
            }
        }
    }

    /** The agent's version from {@code tailflow/agent/version.properties} inside its jar. */
    static String agentVersion(Path agentJar) {
        try (JarFile jar = new JarFile(agentJar.toFile())) {
            var entry = jar.getEntry("tailflow/agent/version.properties");
            if (entry == null) {
                return "0.0.0";
            }
            Properties p = new Properties();
            p.load(jar.getInputStream(entry));
            return p.getProperty("version", "0.0.0").replaceAll("[^A-Za-z0-9._+~]", "_");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent version from " + agentJar, e);
        }
    }
}
