package tailflow.provisioner.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleBuilderTest {

    @TempDir
    Path tmp;

    @Test
    void theSameInputsGiveTheSameBytesAndReleaseId() throws IOException {
        Path checkout = TestCheckout.create(tmp.resolve("c"), "dep v1");
        Bundle a = new BundleBuilder(checkout).build(tmp.resolve("out-a"));
        Bundle b = new BundleBuilder(checkout).build(tmp.resolve("out-b"));
        assertThat(a.releaseId()).startsWith("0.9.1-").isEqualTo(b.releaseId());
        assertThat(Files.readAllBytes(a.file())).isEqualTo(Files.readAllBytes(b.file()));
        assertThat(a.sha256()).isEqualTo(Hashing.sha256(a.file()));
        assertThat(a.size()).isEqualTo(Files.size(a.file()));
        assertThat(a.manifest()).containsOnlyKeys("bin/agent", "lib/agent.jar", "lib/dep.jar", Bundle.UNIT_ENTRY);
        assertThat(a.unit()).isEqualTo("[Unit]\nDescription=test\n");
    }

    @Test
    void aChangedJarIsANewRelease() throws IOException {
        Path checkout = TestCheckout.create(tmp.resolve("c"), "dep v1");
        Bundle before = new BundleBuilder(checkout).build(tmp.resolve("out"));
        Files.writeString(checkout.resolve("agent/target/lib/dep.jar"), "dep v2");
        Bundle after = new BundleBuilder(checkout).build(tmp.resolve("out"));
        assertThat(after.releaseId()).isNotEqualTo(before.releaseId());
        assertThat(after.manifest().get("lib/dep.jar")).isNotEqualTo(before.manifest().get("lib/dep.jar"));
    }

    @Test
    void aBundleReadBackIsTheBundleBuilt() throws IOException {
        Bundle built = new BundleBuilder(TestCheckout.create(tmp.resolve("c"), "x")).build(tmp.resolve("out"));
        assertThat(Bundle.read(built.file())).isEqualTo(built);
        // and building again reuses the cached file as it is
        assertThat(new BundleBuilder(tmp.resolve("c")).build(tmp.resolve("out"))).isEqualTo(built);
    }

    @Test
    void aCheckoutThatWasNotBuiltSaysWhatToRun() throws IOException {
        Path checkout = TestCheckout.create(tmp.resolve("c"), "x");
        Files.delete(checkout.resolve("agent/target/agent.jar"));
        assertThatThrownBy(() -> new BundleBuilder(checkout).build(tmp.resolve("out")))
                .hasMessageContaining("agent.jar is missing").hasMessageContaining("mvn -DskipTests package");
    }

    @Test
    void aFileThatIsNoBundleIsRefused() throws IOException {
        Path fake = tmp.resolve("fake.tar.gz");
        new BundleBuilder(TestCheckout.create(tmp.resolve("c"), "x")).build(tmp.resolve("out"));
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(Files.newOutputStream(fake)))) {
            out.finish();
        }
        assertThatThrownBy(() -> Bundle.read(fake)).hasMessageContaining("is not a tailflow bundle");
    }
}
