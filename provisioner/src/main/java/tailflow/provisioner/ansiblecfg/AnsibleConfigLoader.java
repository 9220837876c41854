package tailflow.provisioner.ansiblecfg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import tailflow.provisioner.inventory.AnsibleBoolean;

/**
 * Finds and reads {@code ansible.cfg} as ansible-core does: the first readable one of
 * {@code $ANSIBLE_CONFIG} (a directory means its {@code ansible.cfg}), {@code ./ansible.cfg}
 * (skipped with a warning when the working directory is world-writable), {@code ~/.ansible.cfg},
 * {@code /etc/ansible/ansible.cfg}. INI as Python's configparser reads it (keys case-insensitive,
 * {@code =} or {@code :}, {@code #}/{@code ;} comment lines, {@code ;} inline comments after a
 * blank). Paths resolve against the file's directory, {@code ~} against the home directory.
 * Environment variables ({@code ANSIBLE_REMOTE_USER}, ...) override the file, as in Ansible.
 * A value that cannot be used is an error naming {@code file:line}.
 */
public final class AnsibleConfigLoader {

    /** A setting: where it lives in the file and which environment variable overrides it. */
    private record Key(String section, String name, String env) {}

    private static final Key INVENTORY = new Key("defaults", "inventory", "ANSIBLE_INVENTORY");
    private static final Key REMOTE_USER = new Key("defaults", "remote_user", "ANSIBLE_REMOTE_USER");
    private static final Key PRIVATE_KEY = new Key("defaults", "private_key_file", "ANSIBLE_PRIVATE_KEY_FILE");
    private static final Key FORKS = new Key("defaults", "forks", "ANSIBLE_FORKS");
    private static final Key HOST_KEY_CHECKING = new Key("defaults", "host_key_checking", "ANSIBLE_HOST_KEY_CHECKING");
    private static final Key TIMEOUT = new Key("defaults", "timeout", "ANSIBLE_TIMEOUT");
    private static final Key BECOME = new Key("privilege_escalation", "become", "ANSIBLE_BECOME");
    private static final Key BECOME_USER = new Key("privilege_escalation", "become_user", "ANSIBLE_BECOME_USER");
    private static final Key SSH_ARGS = new Key("ssh_connection", "ssh_args", "ANSIBLE_SSH_ARGS");

    /** A value and where it came from ({@code file:line}, or the environment variable's name). */
    private record Value(String text, String origin, Path baseDir) {}

    private final Map<String, String> env;
    private final Path cwd;
    private final Path home;
    private final Consumer<String> warnings;

    public AnsibleConfigLoader(Map<String, String> env, Path cwd, Path home, Consumer<String> warnings) {
        this.env = env;
        this.cwd = cwd;
        this.home = home;
        this.warnings = warnings;
    }

    /** The config file Ansible would use here, if any. */
    public Optional<Path> find() {
        List<Path> candidates = new ArrayList<>();
        String fromEnv = env.get("ANSIBLE_CONFIG");
        if (fromEnv != null) {
            Path p = expandHome(fromEnv, cwd);
            candidates.add(Files.isDirectory(p) ? p.resolve("ansible.cfg") : p);
        }
        Path local = cwd.resolve("ansible.cfg");
        if (worldWritable(cwd)) {
            if (Files.exists(local)) {
                warnings.accept("Ansible is being run in a world writable directory (" + cwd
                        + "), ignoring it as an ansible.cfg source.");
            }
        } else {
            candidates.add(local);
        }
        candidates.add(home.resolve(".ansible.cfg"));
        candidates.add(Path.of("/etc/ansible/ansible.cfg"));
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isReadable(p)).findFirst();
    }

    public AnsibleConfig load() {
        Optional<Path> file = find();
        Map<String, Value> values = new LinkedHashMap<>();
        file.ifPresent(f -> read(f, values));
        for (Key k : List.of(INVENTORY, REMOTE_USER, PRIVATE_KEY, FORKS, HOST_KEY_CHECKING, TIMEOUT, BECOME, BECOME_USER, SSH_ARGS)) {
            String v = env.get(k.env());
            if (v != null) {
                values.put(id(k.section(), k.name()), new Value(v, "environment variable " + k.env(), cwd));
            }
        }
        Optional<String> becomeUser = text(values, BECOME_USER);
        if (becomeUser.isPresent() && !becomeUser.get().equals("root")) {
            throw error(values.get(id(BECOME_USER)), "become_user " + becomeUser.get()
                    + ": the agent is installed as root; tailflow becomes root only");
        }
        return new AnsibleConfig(file, paths(values.get(id(INVENTORY))), text(values, REMOTE_USER),
                Optional.ofNullable(values.get(id(PRIVATE_KEY))).map(v -> expandHome(v.text(), v.baseDir())),
                positive(values, FORKS), bool(values, HOST_KEY_CHECKING), positive(values, TIMEOUT), bool(values, BECOME),
                becomeUser, Optional.ofNullable(values.get(id(SSH_ARGS))).map(v -> ShellWords.split(v.text())).orElse(List.of()));
    }

    private static String id(String section, String name) {
        return section + "." + name;
    }

    private static String id(Key k) {
        return id(k.section(), k.name());
    }

    private void read(Path file, Map<String, Value> out) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        String section = null;
        String lastKey = null;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (Character.isWhitespace(raw.charAt(0)) && lastKey != null) {
                // a continuation line: configparser appends it to the previous value
                Value prev = out.get(lastKey);
                out.put(lastKey, new Value(prev.text() + "\n" + stripInlineComment(line), prev.origin(), dir));
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected a [section] header, found '" + line + "'");
                }
                section = line.substring(1, line.length() - 1).strip();
                lastKey = null;
                continue;
            }
            int sep = firstOf(line, '=', ':');
            if (sep <= 0) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected key = value, found '" + line + "'");
            }
            if (section == null) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": '" + line + "' comes before any [section]");
            }
            String key = line.substring(0, sep).strip().toLowerCase(Locale.ROOT);
            lastKey = id(section, key);
            out.put(lastKey, new Value(stripInlineComment(line.substring(sep + 1).strip()), file + ":" + (i + 1), dir));
        }
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /** configparser with {@code inline_comment_prefixes=(';',)}: a ';' after whitespace starts a comment. */
    static String stripInlineComment(String value) {
        for (int i = 1; i < value.length(); i++) {
            if (value.charAt(i) == ';' && Character.isWhitespace(value.charAt(i - 1))) {
                return value.substring(0, i).strip();
            }
        }
        return value;
    }

    private static Optional<String> text(Map<String, Value> values, Key k) {
        return Optional.ofNullable(values.get(id(k))).map(Value::text).filter(s -> !s.isEmpty());
    }

    private Optional<Integer> positive(Map<String, Value> values, Key k) {
        Value v = values.get(id(k));
        if (v == null) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(v.text().strip());
            if (n > 0) {
                return Optional.of(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(v, k.name() + " must be a positive integer, found '" + v.text() + "'");
    }

    private Optional<Boolean> bool(Map<String, Value> values, Key k) {
        Value v = values.get(id(k));
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(AnsibleBoolean.parse(v.text()).orElseThrow(() -> error(v, k.name()
                + ": expected a boolean (true/false, yes/no, on/off, 1/0), found '" + v.text() + "'")));
    }

    private static IllegalArgumentException error(Value v, String problem) {
        return new IllegalArgumentException(v.origin() + ": " + problem);
    }

    /** Ansible's pathlist: comma-separated, each resolved against the file's directory. */
    private List<Path> paths(Value v) {
        if (v == null) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (String part : v.text().split(",")) {
            if (!part.isBlank()) {
                out.add(expandHome(part.strip(), v.baseDir()));
            }
        }
        return out;
    }

    private Path expandHome(String path, Path base) {
        String p = path.equals("~") ? home.toString() : path.startsWith("~/") ? home + path.substring(1) : path;
        return base.resolve(p).normalize();
    }

    private static boolean worldWritable(Path dir) {
        try {
            return Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
