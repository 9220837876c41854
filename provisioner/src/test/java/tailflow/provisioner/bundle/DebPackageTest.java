package tailflow.provisioner.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebPackageTest {

    @TempDir
    Path tmp;

    @Test
    void nameVersionAndChecksumComeFromTheDebItself() throws IOException {
        Path file = TestDeb.write(tmp.resolve("x.deb"), "tailflow-agent", "1:0.1.0+2");
        DebPackage deb = DebPackage.read(file);
        assertThat(deb.name()).isEqualTo("tailflow-agent");
        assertThat(deb.version()).isEqualTo("1:0.1.0+2");
        assertThat(deb.sha256()).isEqualTo(Hashing.sha256(file));
        assertThat(deb.size()).isEqualTo(Files.size(file));
        assertThat(deb.fileName()).isEqualTo("tailflow-agent_1%3a0.1.0+2_all.deb");
    }

    @Test
    void whatIsNotAReadableDebSaysSo() throws IOException {
        Path xz = TestDeb.withControl(tmp.resolve("xz.deb"), "control.tar.xz", "Package: p\nVersion: 1\n");
        assertThatThrownBy(() -> DebPackage.read(xz)).hasMessageContaining("control.tar.xz is not supported");
        Path noVersion = TestDeb.withControl(tmp.resolve("nv.deb"), "control.tar.gz", "Package: p\n");
        assertThatThrownBy(() -> DebPackage.read(noVersion)).hasMessageContaining("has no Package or Version field");
        Path text = Files.writeString(tmp.resolve("t.deb"), "not an archive");
        assertThatThrownBy(() -> DebPackage.read(text)).hasMessageContaining(text + " is not a");
    }

    @Test
    void controlFieldsSkipContinuationLines() {
        assertThat(DebPackage.fields("Package: a\nDescription: x\n Version: 9\nVersion: 2\n"))
                .containsEntry("Package", "a").containsEntry("Version", "2");
    }
}
