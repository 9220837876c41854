package tailflow.provisioner.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import tailflow.provisioner.bundle.Bundle;
import tailflow.provisioner.bundle.BundleBuilder;
import tailflow.provisioner.bundle.HashCache;

/** Which release to install: a bundle file, or one built from a checkout after {@code mvn package}. */
public final class BundleOptions {

    @Option(names = "--bundle", paramLabel = "FILE", description = "a release bundle (tar.gz) built earlier")
    Path bundle;

    @Option(names = "--source", paramLabel = "DIR",
            description = "checkout to build the bundle from (default: the one this provisioner runs from)")
    Path source;

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
