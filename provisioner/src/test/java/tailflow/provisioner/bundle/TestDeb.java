package tailflow.provisioner.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** A minimal Debian package (a control file, no data) for tests, laid out as dpkg-deb and jdeb write it. */
public final class TestDeb {

    private TestDeb() {}

    public static Path write(Path file, String name, String version) throws IOException {
        return withControl(file, "control.tar.gz", "Package: " + name + "\nVersion: " + version + "\nArchitecture: all\n"
                + "Description: test\n a test package\n");
    }

    public static Path withControl(Path file, String controlMember, String control) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); ArArchiveOutputStream ar = new ArArchiveOutputStream(out)) {
            member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
            member(ar, controlMember, tarGz("./control", control.getBytes(StandardCharsets.UTF_8)));
            member(ar, "data.tar.gz", tarGz(null, null));
        }
        return file;
    }

    private static void member(ArArchiveOutputStream ar, String name, byte[] data) throws IOException {
        ar.putArchiveEntry(new ArArchiveEntry(name, data.length));
        ar.write(data);
        ar.closeArchiveEntry();
    }

    private static byte[] tarGz(String name, byte[] content) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(b))) {
            if (name != null) {
                TarArchiveEntry e = new TarArchiveEntry(name);
                e.setSize(content.length);
                e.setMode(0644);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return b.toByteArray();
    }
}
