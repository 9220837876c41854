package tailflow.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinaryContentTest {

    @TempDir
    Path dir;

    @Test
    void textIsTextAndNulBytesAtEitherEndAreBinary() throws Exception {
        Path text = dir.resolve("syslog");
        Files.writeString(text, "Nov 25 12:00:00 host sshd[1]: ok\n".repeat(1000));
        assertThat(BinaryContent.check(text)).isEmpty();
        Path faillog = dir.resolve("faillog");
        Files.write(faillog, new byte[] {1, 0, 0, 0, 'x'});
        assertThat(BinaryContent.check(faillog)).contains("binary (NUL bytes)");
        Path grownBinary = dir.resolve("app.log");
        Files.writeString(grownBinary, "text\n".repeat(5000));
        Files.write(grownBinary, new byte[100], java.nio.file.StandardOpenOption.APPEND);
        assertThat(BinaryContent.check(grownBinary)).isPresent();
        Files.writeString(dir.resolve("empty"), "");
        assertThat(BinaryContent.check(dir.resolve("empty"))).isEmpty();
    }

    @Test
    void aSparseFileIsBinary() throws Exception {
        Path lastlog = dir.resolve("lastlog");
        try (RandomAccessFile raf = new RandomAccessFile(lastlog.toFile(), "rw")) {
            raf.setLength(1L << 32);
        }
        assertThat(BinaryContent.check(lastlog)).isPresent();
    }
}
