package tailflow.provisioner.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;
import tailflow.provisioner.bundle.Bundle;
import tailflow.provisioner.bundle.BundleBuilder;
import tailflow.provisioner.bundle.HashCache;
import tailflow.provisioner.bundle.DebPackage;

/** Which release to install: a bundle file, or one built from a checkout after {@code mvn package}. */
public final class BundleOptions {

    @Option(names = "--bundle", paramLabel = "FILE", description = "a release bundle (tar.gz) built earlier")
    Path bundle;

    @Option(names = "--source", paramLabel = "DIR",
            description = "checkout to build the bundle from (default: the one this provisioner runs from)")
    Path source;

    @Option(names = "--deb", paramLabel = "FILE",
            description = "the agent's Debian package for deb installs (default: the checkout's agent/target/tailflow-agent_*_all.deb)")
    Path deb;

    /** The .deb for hosts installed through the package: --deb, or the one {@code mvn package} built in the checkout. */
    DebPackage loadDeb() throws IOException {
        if (deb != null) {
            return DebPackage.read(deb);
        }
        Path target = checkout().resolve("agent/target");
        List<Path> found;
        try (Stream<Path> files = Files.isDirectory(target) ? Files.list(target) : Stream.empty()) {
            found = files.filter(f -> f.getFileName().toString().matches("tailflow-agent_.+_all\\.deb")).sorted().toList();
        }
        if (found.size() != 1) {
            throw new IOException("tailflow_install: deb needs the agent's .deb: found " + found.size() + " in " + target
                    + " (build it with mvn -B -DskipTests package, or pass --deb FILE)");
        }
        return DebPackage.read(found.get(0));
    }

    Bundle load(Path workDir, HashCache hashes) throws IOException {

        if (bundle != null) {
            return Bundle.read(bundle, hashes);
        }
        return new BundleBuilder(checkout(), hashes).build(workDir);
    }

    private Path checkout() {
        if (source != null) {
            return source;
        }
        try {
            Path here = Path.of(BundleOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = here; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("packaging/bin/agent"))) {
                    return p;
                }
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}
