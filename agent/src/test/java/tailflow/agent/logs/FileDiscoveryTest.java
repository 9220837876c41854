package tailflow.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDiscoveryTest {

    @TempDir
    Path dir;

    private Path touch(String rel) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x\n");
        return p;
    }

    @Test
    void starMatchesWithinOneDirectoryOnly() throws IOException {
        Path syslog = touch("syslog");
        Path auth = touch("auth.log");
        touch("syslog.1");
        touch("sub/kern.log");
        FileDiscovery.Result r = FileDiscovery.scan(dir + "/*log", Optional.empty());
        assertThat(r.matched()).containsExactly(auth, syslog);
    }

    @Test
    void questionMarkAndCharacterClasses() throws IOException {
        Path a1 = touch("a1.log");
        Path b2 = touch("b2.log");
        touch("c3.log");
        touch("ab.log");
        assertThat(FileDiscovery.scan(dir + "/[ab][0-9].log", Optional.empty()).matched()).containsExactly(a1, b2);
        assertThat(FileDiscovery.scan(dir + "/[!c]?.log", Optional.empty()).matched()).containsExactly(a1, touch("ab.log"), b2);
        assertThat(FileDiscovery.scan(dir + "/??.log", Optional.empty()).matched()).hasSize(4);
    }

    @Test
    void doubleStarMatchesZeroOrMoreDirectories() throws IOException {
        Path top = touch("top.log");
        Path one = touch("a/one.log");
        Path deep = touch("a/b/c/deep.log");
        touch("a/b/c/deep.txt");
        assertThat(FileDiscovery.scan(dir + "/**/*.log", Optional.empty()).matched()).containsExactly(deep, one, top);
        assertThat(FileDiscovery.scan(dir + "/a/**", Optional.empty()).matched()).hasSize(3);
    }

    @Test
    void excludeGlobAndCompressedRotations() throws IOException {
        Path syslog = touch("syslog");
        Path debug = touch("debug.log");
        Path gz = touch("syslog.2.gz");
        Path oneGz = touch("auth.log.1.gz");
        FileDiscovery.Result r = FileDiscovery.scan(dir + "/*", Optional.of(dir + "/debug*"));
        assertThat(r.matched()).containsExactly(syslog);
        assertThat(r.excluded()).containsExactly(oneGz, debug, gz);
    }

    @Test
    void directoriesFifosAndUnreadableFilesAreReportedWithReason() throws Exception {
        Path ok = touch("ok.log");
        Files.createDirectory(dir.resolve("dir.log"));
        Path fifo = dir.resolve("fifo.log");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        FileDiscovery.Result r = FileDiscovery.scan(dir + "/*.log", Optional.empty());
        assertThat(r.matched()).containsExactly(ok);
        assertThat(r.unreadable()).extracting(FileDiscovery.Unreadable::reason)
                .containsExactly("is a directory", "not a regular file (FIFO, socket or device)");
    }

    @Test
    void missingBaseDirectoryIsNoMatchNotAnError() {
        FileDiscovery.Result r = FileDiscovery.scan(dir + "/nope/*.log", Optional.empty());
        assertThat(r.matched()).isEmpty();
        assertThat(r.unreadable()).isEmpty();
    }
}
