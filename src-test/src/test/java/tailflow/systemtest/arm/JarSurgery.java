package tailflow.systemtest.arm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Copies a jar without some of its entries: how the tests build a deliberately broken classpath. */
final class JarSurgery {
    private JarSurgery() {}

    /** @return how many entries under {@code prefix} were left out */
    static int copyWithout(Path jar, Path target, String prefix) throws IOException {
        int removed = 0;
        try (InputStream raw = Files.newInputStream(jar);
                ZipInputStream in = new ZipInputStream(raw);
                OutputStream rawOut = Files.newOutputStream(target);
                ZipOutputStream out = new ZipOutputStream(rawOut)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().startsWith(prefix)) {
                    removed++;
                    continue;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
        }
        return removed;
    }
}
