package tailflow.provisioner.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashCacheTest {

    @TempDir
    Path tmp;

    @Test
    void aFileUnchangedInSizeAndTimeIsNotReadAgainInALaterRun() throws Exception {
        Path f = tmp.resolve("a.jar");
        Files.writeString(f, "first");
        FileTime t = FileTime.fromMillis(1_700_000_000_123L);
        Files.setLastModifiedTime(f, t);
        HashCache run1 = HashCache.in(tmp.resolve("cache"));
        assertThat(run1.sha256(f)).isEqualTo(Hashing.sha256("first"));
        run1.save();

        // same size, same time, other bytes: the remembered sum proves the file was not read
        Files.writeString(f, "fir5t");
        Files.setLastModifiedTime(f, t);
        assertThat(HashCache.in(tmp.resolve("cache")).sha256(f)).isEqualTo(Hashing.sha256("first"));

        // a new modification time is a new sum
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_700_000_000_124L));
        HashCache run3 = HashCache.in(tmp.resolve("cache"));
        assertThat(run3.sha256(f)).isEqualTo(Hashing.sha256("fir5t"));
        // and another size too
        Files.writeString(f, "longer now");
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_700_000_000_124L));
        assertThat(run3.sha256(f)).isEqualTo(Hashing.sha256("longer now"));
    }

    @Test
    void filesThatAreGoneLeaveTheIndexAndADamagedIndexIsStartedAfresh() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Files.writeString(a, "a");
        Files.writeString(b, "b");
        HashCache c = HashCache.in(tmp.resolve("cache"));
        c.sha256(a);
        c.sha256(b);
        Files.delete(a);
        c.save();
        assertThat(HashCache.in(tmp.resolve("cache")).paths()).containsExactly(b.toAbsolutePath().toString());
        Files.writeString(tmp.resolve("cache/sha256.index"), "nonsense 1 2 /x\n" + "0".repeat(64) + " x y /z\n");
        HashCache damaged = HashCache.in(tmp.resolve("cache"));
        assertThat(damaged.paths()).isEmpty();
        assertThat(damaged.sha256(b)).isEqualTo(Hashing.sha256("b"));
    }

    @Test
    void aBundleBuiltEarlierIsFoundWithoutHashingItsInputsAgain() throws Exception {
        Path checkout = TestCheckout.create(tmp.resolve("c"), "dep");
        HashCache hashes = HashCache.in(tmp.resolve("cache"));
        Bundle built = new BundleBuilder(checkout, hashes).build(tmp.resolve("cache"));
        hashes.save();
        HashCache later = HashCache.in(tmp.resolve("cache"));
        assertThat(later.paths()).contains(built.file().toAbsolutePath().toString(),
                checkout.resolve("agent/target/agent.jar").toAbsolutePath().toString());
        assertThat(new BundleBuilder(checkout, later).build(tmp.resolve("cache"))).isEqualTo(built);
    }
}
