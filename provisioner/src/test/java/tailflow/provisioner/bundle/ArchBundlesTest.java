package tailflow.provisioner.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchBundlesTest {

    @TempDir
    Path tmp;

    /** The JNA jar the provisioner itself runs with: a real one, natives for every platform. */
    private static byte[] realJnaJar() throws Exception {
        Path jar = Path.of(com.sun.jna.Native.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return Files.readAllBytes(jar);
    }

    private static List<String> entries(byte[] jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private Path checkoutWithJna() throws Exception {
        Path checkout = TestCheckout.create(tmp.resolve("c"), "dep");
        Files.write(checkout.resolve("agent/target/lib/jna-5.19.1.jar"), realJnaJar());
        return checkout;
    }

    @Test
    void machinesMapToJnasPlatformDirectories() {
        assertThat(JnaNatives.family("x86_64").orElseThrow().prefixes()).containsExactly("linux-x86-64");
        assertThat(JnaNatives.family("aarch64").orElseThrow().prefixes()).containsExactly("linux-aarch64");
        assertThat(JnaNatives.family("armv7l").orElseThrow().prefixes()).containsExactlyInAnyOrder("linux-arm", "linux-armel");
        assertThat(JnaNatives.family("armv6l").orElseThrow().name()).isEqualTo("arm");
        assertThat(JnaNatives.family("i686").orElseThrow().prefixes()).containsExactly("linux-x86");
        assertThat(JnaNatives.family("riscv64")).isEmpty();
        assertThat(JnaNatives.isJnaJar("lib/jna-5.19.1.jar")).isTrue();
        assertThat(JnaNatives.isJnaJar("lib/jna-platform-5.19.1.jar")).isFalse();
    }

    @Test
    void theRealJnaJarKeepsItsClassesAndOnlyTheHostsNative() throws Exception {
        byte[] jar = realJnaJar();
        byte[] x86 = JnaNatives.keepOnly(jar, Set.of("linux-x86-64"));
        List<String> before = entries(jar);
        List<String> after = entries(x86);
        assertThat(after).contains("com/sun/jna/linux-x86-64/libjnidispatch.so", "com/sun/jna/Native.class", "META-INF/MANIFEST.MF")
                .noneMatch(n -> n.matches("com/sun/jna/[a-z0-9]+(-[a-z0-9]+)+/.*") && !n.startsWith("com/sun/jna/linux-x86-64/"));
        assertThat(after).containsAll(before.stream().filter(n -> !n.matches("com/sun/jna/[a-z0-9]+(-[a-z0-9]+)+/.*")).toList());
        assertThat(x86.length).as("bytes of the x86_64 jar against all platforms'").isLessThan(jar.length / 4);
        assertThat(JnaNatives.keepOnly(jar, Set.of("linux-x86-64"))).as("deterministic").isEqualTo(x86);
    }

    @Test
    void eachArchitectureGetsItsOwnSmallerBundleOfTheSameRelease() throws Exception {
        Bundle full = new BundleBuilder(checkoutWithJna()).build(tmp.resolve("cache"));
        ArchBundles bundles = new ArchBundles(full, tmp.resolve("cache"));
        Bundle x86 = bundles.forMachine("x86_64");
        Bundle arm = bundles.forMachine("armv7l");
        assertThat(x86.releaseId()).isEqualTo(full.releaseId()).isEqualTo(arm.releaseId());
        assertThat(x86.size()).isLessThan(full.size() / 3);
        assertThat(x86.manifest().keySet()).isEqualTo(full.manifest().keySet());
        assertThat(x86.manifest().get("lib/jna-5.19.1.jar")).isNotEqualTo(full.manifest().get("lib/jna-5.19.1.jar"))
                .isNotEqualTo(arm.manifest().get("lib/jna-5.19.1.jar"));
        assertThat(x86.manifest().get("lib/agent.jar")).isEqualTo(full.manifest().get("lib/agent.jar"));
        assertThat(Bundle.read(x86.file())).isEqualTo(x86);
        assertThat(bundles.forMachine("amd64")).as("one bundle per family and run").isSameAs(x86);
        assertThat(bundles.forMachine("s390x")).as("an unknown machine gets everything").isSameAs(full);
        // a later run finds it in the cache, byte for byte
        long written = Files.getLastModifiedTime(x86.file()).toMillis();
        assertThat(new ArchBundles(full, tmp.resolve("cache")).forMachine("x86_64")).isEqualTo(x86);
        assertThat(Files.getLastModifiedTime(x86.file()).toMillis()).isEqualTo(written);
    }

    @Test
    void theHostsToolsUnpackAndCheckIt() throws Exception {
        Bundle full = new BundleBuilder(checkoutWithJna()).build(tmp.resolve("cache"));
        Bundle x86 = new ArchBundles(full, tmp.resolve("cache")).forMachine("x86_64");
        Path dir = Files.createDirectories(tmp.resolve("unpacked"));
        Process p = new ProcessBuilder("sh", "-c", "tar -xzf \"$1\" -C \"$2\" && cd \"$2\" && sha256sum -c --quiet --strict MANIFEST.sha256"
                + " && unzip -l lib/jna-5.19.1.jar | grep -c jnidispatch", "sh", x86.file().toString(), dir.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("1");
        assertThat(Files.readString(dir.resolve("VERSION")).strip()).isEqualTo(full.releaseId());
    }

    @Test
    void aDamagedFullBundleIsNotPassedOn() throws Exception {
        Path checkout = checkoutWithJna();
        Bundle full = new BundleBuilder(checkout).build(tmp.resolve("a"));
        Files.writeString(checkout.resolve("agent/target/lib/dep.jar"), "other");
        Bundle other = new BundleBuilder(checkout).build(tmp.resolve("b"));
        // the first bundle's description with the second's files
        Bundle lying = new Bundle(other.file(), full.version(), full.releaseId(), other.sha256(), other.size(), full.manifest(), full.unit());
        assertThatThrownBy(() -> new ArchBundles(lying, tmp.resolve("c")).forMachine("x86_64"))
                .hasMessageContaining("lib/dep.jar does not match");
    }
}
