package tailflow.provisioner.ssh;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The basics of {@code ~/.ssh/config}: {@code Host} blocks (patterns with {@code *}, {@code ?}
 * and {@code !negation}) and their HostName, User, Port, IdentityFile, ProxyJump,
 * GSSAPIAuthentication and GSSAPIServerIdentity. As in OpenSSH the
 * first value found for a key wins; IdentityFile accumulates.
 */
public final class SshConfigFile {

    /** What the config says about one host; empty fields mean "not set". */
    public record Entry(Optional<String> hostName, Optional<String> user, Optional<Integer> port, List<Path> identityFiles,
                        Optional<String> proxyJump, Optional<String> gssapiAuthentication,
                        Optional<String> gssapiServerIdentity) {}

    private record Block(List<String> patterns, List<String[]> options) {}

    private final List<Block> blocks;
    private final Path home;

    private SshConfigFile(List<Block> blocks, Path home) {
        this.blocks = blocks;
        this.home = home;
    }

    public static SshConfigFile empty() {
        return new SshConfigFile(List.of(), Path.of("/"));
    }

    /** Reads the file if it exists (a missing file is an empty config). */
    public static SshConfigFile read(Path file, Path home) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new SshConfigFile(List.of(), home);
        }
        List<Block> blocks = new ArrayList<>();
        Block current = new Block(List.of("*"), new ArrayList<>());
        blocks.add(current);
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] kv = line.split("\\s*=\\s*|\\s+", 2);
            if (kv.length < 2) {
                continue;
            }
            String key = kv[0].toLowerCase(java.util.Locale.ROOT);
            String value = kv[1].strip().replaceAll("^\"|\"$", "");
            if (key.equals("host")) {
                current = new Block(List.of(value.split("\\s+")), new ArrayList<>());
                blocks.add(current);
            } else if (key.equals("match")) {
                // Match blocks need conditions we do not evaluate: their options are skipped.
                current = new Block(List.of(), new ArrayList<>());
                blocks.add(current);
            } else {
                current.options().add(new String[] {key, value});
            }
        }
        return new SshConfigFile(blocks, home);
    }

    public Entry lookup(String host) {
        String hostName = null;
        String user = null;
        Integer port = null;
        String proxyJump = null;
        String gssapi = null;
        String gssapiIdentity = null;
        List<Path> keys = new ArrayList<>();
        for (Block b : blocks) {
            if (!matches(b.patterns(), host)) {
                continue;
            }
            for (String[] o : b.options()) {
                switch (o[0]) {
                    case "hostname" -> hostName = hostName == null ? o[1].replace("%h", host) : hostName;
                    case "user" -> user = user == null ? o[1] : user;
                    case "port" -> port = port == null ? parsePort(o[1]) : port;
                    case "identityfile" -> keys.add(expand(o[1]));
                    case "proxyjump" -> proxyJump = proxyJump == null ? o[1] : proxyJump;
                    case "gssapiauthentication" -> gssapi = gssapi == null ? o[1] : gssapi;
                    case "gssapiserveridentity" -> gssapiIdentity = gssapiIdentity == null ? o[1] : gssapiIdentity;
                    default -> { }
                }
            }
        }
        return new Entry(Optional.ofNullable(hostName), Optional.ofNullable(user), Optional.ofNullable(port), keys,
                Optional.ofNullable(proxyJump), Optional.ofNullable(gssapi), Optional.ofNullable(gssapiIdentity));
    }

    private static Integer parsePort(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Path expand(String path) {
        return path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
    }

    private static boolean matches(List<String> patterns, String host) {
        boolean any = false;
        for (String p : patterns) {
            boolean negated = p.startsWith("!");
            String glob = negated ? p.substring(1) : p;
            boolean hit = FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(host.replace('/', '_')));
            if (hit && negated) {
                return false;
            }
            any |= hit;
        }
        return any;
    }
}
