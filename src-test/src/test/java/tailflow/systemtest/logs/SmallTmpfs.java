package tailflow.systemtest.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a test directory (needs root), to make writes fail with ENOSPC on
 * demand: {@link #fill()} takes every free byte, {@link #release()} gives them back. Unmounted on
 * close, also when the test failed.
 */
final class SmallTmpfs implements AutoCloseable {

    private final Path dir;
    private final Path filler;

    private SmallTmpfs(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve("filler");
    }

    static SmallTmpfs mount(Path dir, int kib) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + kib + "k,mode=0755", "tailflow-logs-test", dir.toString()));
        return new SmallTmpfs(dir);
    }

    Path dir() {
        return dir;
    }

    /** Writes until the file system is full (ENOSPC). */
    void fill() throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 1 << 20; i++) { // bounded: 4 GiB would be far beyond any test tmpfs
                out.write(block);
            }
            throw new IllegalStateException("tmpfs " + dir + " never filled up");
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    void release() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("umount", dir.toString()));
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // short output: read before waiting is safe
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
    }
}
