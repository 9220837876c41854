package tailflow.agent.sflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes a sysfs-shaped directory tree (class/net/NAME/attr) so the scanner reads real files. */
final class SysfsTree {
    private final Path root;

    SysfsTree(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Adds an interface; attrs with a null value are left out (as an EINVAL read would be). */
    SysfsTree iface(String name, Map<String, String> attrs) {
        Path dir = root.resolve("class/net").resolve(name);
        try {
            Files.createDirectories(dir.resolve("statistics"));
            for (Map.Entry<String, String> e : attrs.entrySet()) {
                Path f = dir.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue() + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    SysfsTree ethernet(String name, int ifindex, String speedMbps, String mac) {
        return iface(name, Map.of("ifindex", "" + ifindex, "iflink", "" + ifindex, "type", "1", "speed", speedMbps,
                "operstate", "up", "flags", "0x1003", "duplex", "full", "address", mac));
    }
}
