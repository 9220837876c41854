package tailflow.systemtest.deb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import tailflow.systemtest.hosts.HostImage;
import tailflow.systemtest.support.Command;

/**
 * The .deb that {@code mvn package} built in agent/target, and newer builds of it for upgrade
 * tests: the same files with a higher version, repacked with dpkg-deb.
 */
final class DebBuild {

    private DebBuild() {}

    /** agent/target/tailflow-agent_VERSION_all.deb; fails with what to run when it was not built. */
    static Path built() {
        Path target = HostImage.checkoutRoot().resolve("agent/target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().matches("tailflow-agent_.+_all\\.deb")).toList();
            if (debs.size() != 1) {
                throw new IllegalStateException("expected one tailflow-agent_*_all.deb in " + target + ", found " + debs
                        + ": build it with 'mvn -B -DskipTests package' (or run the tests through mvn verify)");
            }
            return debs.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Version field of a .deb. */
    static String version(Path deb) {
        return Command.of("dpkg-deb", "-f", deb.toString(), "Version").run().requireOk().stdout().strip();
    }

    /** {@code deb} repacked as version {@code version} into {@code dir}: a newer build with the same files. */
    static Path withVersion(Path deb, String version, Path dir) throws IOException {
        return repack(deb, version, dir, tree -> { }, "xz");
    }

    /** What a repack changes in the unpacked tree (the package's files and DEBIAN/) besides the version. */
    interface TreeEdit {
        void edit(Path tree) throws IOException;
    }

    /**
     * {@code deb} repacked as {@code version} into {@code dir} after {@code edit} changed its tree;
     * {@code compression} as dpkg-deb's -Z (gzip: control.tar.gz, as jdeb writes it).
     */
    static Path repack(Path deb, String version, Path dir, TreeEdit edit, String compression) throws IOException {
        Path tree = Files.createTempDirectory(dir, "tree-");
        Command.of("dpkg-deb", "-R", deb.toString(), tree.toString()).run().requireOk();
        Path control = tree.resolve("DEBIAN/control");
        String fields = Files.readString(control).replaceFirst("(?m)^Version: .*$", "Version: " + version);
        Files.writeString(control, fields);
        edit.edit(tree);
        Path out = dir.resolve("tailflow-agent_" + version + "_all.deb");
        Command.of("dpkg-deb", "--root-owner-group", "-Z" + compression, "-b", tree.toString(), out.toString()).run().requireOk();
        return out;
    }
}
