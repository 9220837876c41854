package tailflow.systemtest.deb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import tailflow.systemtest.support.Command;
import tailflow.systemtest.support.CommandResult;

/**
 * A flat apt repository in a directory ({@code deb [trusted=yes] file:/DIR ./}), for test hosts
 * that have no network: the packages come from this machine's apt cache (the same Debian release
 * as the hosts), or from {@code apt-get download} when the cache no longer has them.
 */
final class LocalAptRepo {

    private LocalAptRepo() {}

    /** Fills {@code dir} with the amd64 .debs of {@code packages} (this machine's installed versions) and a Packages index. */
    static void build(Path dir, List<String> packages) throws IOException {
        Files.createDirectories(dir);
        for (String name : packages) {
            copyOrDownload(name, dir);
        }
        StringBuilder index = new StringBuilder();
        try (Stream<Path> debs = Files.list(dir)) {
            for (Path deb : debs.filter(f -> f.toString().endsWith(".deb")).sorted().toList()) {
                String control = Command.of("dpkg-deb", "-f", deb.toString()).run().requireOk().stdout().strip();
                index.append(control).append('\n')
                        .append("Filename: ./").append(deb.getFileName()).append('\n')
                        .append("Size: ").append(Files.size(deb)).append('\n')
                        .append("SHA256: ").append(sha256(deb)).append("\n\n");
            }
        }
        Files.writeString(dir.resolve("Packages"), index);
    }

    private static void copyOrDownload(String name, Path dir) throws IOException {
        String version = Command.of("dpkg-query", "-W", "-f=${Version}", name).run().requireOk().stdout().strip();
        String file = name + "_" + version.replace(":", "%3a") + "_amd64.deb";
        Path cached = Path.of("/var/cache/apt/archives", file);
        if (Files.isRegularFile(cached)) {
            Files.copy(cached, dir.resolve(file));
            return;
        }
        CommandResult download = Command.shell("cd '" + dir + "' && apt-get download -q " + name + "=" + version)
                .timeout(java.time.Duration.ofMinutes(3)).run();
        if (!download.ok()) {
            throw new IllegalStateException(name + " " + version + " is neither in /var/cache/apt/archives nor"
                    + " downloadable (apt-get download): " + download.output());
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[1 << 16];
            for (int n; (n = in.read(chunk)) > 0; ) {
                digest.update(chunk, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
