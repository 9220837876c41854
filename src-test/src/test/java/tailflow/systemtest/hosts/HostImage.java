package tailflow.systemtest.hosts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import tailflow.systemtest.support.Command;

/**
 * The cached Debian rootfs every test host boots from, and the SSH key that logs in as root on
 * all of them. Built once per machine by {@code src-test/fixtures/build-test-host-rootfs.sh}
 * (debootstrap, ~5.5 min); later calls only check the cache.
 *
 * @param rootfs     the unpacked rootfs, used read-only as the lower dir of each host's overlay
 * @param privateKey the test key (root's authorized key inside every host)
 */
public record HostImage(Path rootfs, Path privateKey) {

    /** The cache directory: system property {@code tailflow.test.cache}, default /var/cache/tailflow-test. */
    public static Path cacheDir() {
        return Path.of(System.getProperty("tailflow.test.cache", "/var/cache/tailflow-test"));
    }

    /** The checkout's root (system property {@code tailflow.root}, set by the src-test pom). */
    public static Path checkoutRoot() {
        return Path.of(System.getProperty("tailflow.root", "..")).toAbsolutePath().normalize();
    }

    /** Builds the image if the cache lacks it, then returns it. */
    public static HostImage prepare() {
        Path script = checkoutRoot().resolve("src-test/fixtures/build-test-host-rootfs.sh");
        Path cache = cacheDir();
        Command.of("env", "TAILFLOW_TEST_CACHE=" + cache, script.toString()).timeout(Duration.ofMinutes(20)).run().requireOk();
        HostImage image = new HostImage(cache.resolve("host-rootfs"), cache.resolve("id_ed25519"));
        if (!Files.isDirectory(image.rootfs().resolve("usr/lib/systemd")) || !Files.isReadable(image.privateKey())) {
            throw new IllegalStateException("the host image under " + cache + " is incomplete; rerun "
                    + script + " --rebuild");
        }
        return image;
    }
}
