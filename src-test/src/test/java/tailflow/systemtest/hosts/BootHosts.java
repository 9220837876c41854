package tailflow.systemtest.hosts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Boots test hosts from a shell, for manual runs and benchmarks: {@code BootHosts OUT_DIR N...}
 * writes {@code OUT_DIR/known_hosts} and {@code OUT_DIR/hosts} (name address gateway per line),
 * prints "ready", and keeps the hosts until its stdin closes or it gets SIGTERM.
 */
public final class BootHosts {

    private BootHosts() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: BootHosts OUT_DIR N [N...]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        List<Integer> indexes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            indexes.add(Integer.parseInt(args[i]));
        }
        try (TestHosts hosts = TestHosts.boot(indexes)) {
            Files.createDirectories(out);
            Files.copy(hosts.knownHostsFile(), out.resolve("known_hosts"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            StringBuilder list = new StringBuilder();
            for (TestHost h : hosts.hosts()) {
                list.append(h.name()).append(' ').append(h.address()).append(' ').append(h.gateway()).append('\n');
            }
            Files.writeString(out.resolve("hosts"), list);
            System.out.println("ready");
            System.out.flush();
            // Blocks until the caller closes our stdin (or kills us: the shutdown hook tears down).
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
