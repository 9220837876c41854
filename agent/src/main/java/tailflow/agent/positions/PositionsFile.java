package tailflow.agent.positions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tailflow.agent.json.PrettyJson;
import tailflow.agent.json.YamlValues;

/**
 * The positions file, shared by all clients and sources: per client a section, and in it one part
 * per source kind.
 *
 * <p>Format (JSON, which every YAML parser reads):
 * <pre>
 * tailflow_positions: 1
 * clients: {&lt;client key&gt;: {files: [{path, device, inode, offset, head, leases: [[start, end, base]...]}],
 *                           timestamp_floors: {&lt;filename&gt;: ns},
 *                           journal: {cursor-&lt;job_name&gt;: {cursor, realtime_us}}}}
 * positions: {"&lt;path&gt;": "&lt;offset&gt;", "cursor-&lt;job_name&gt;": "&lt;cursor&gt;"}
 * </pre>
 * {@code positions:} is Promtail's own map (files and journal cursors of the first client), kept
 * so a host can go back to Promtail and resume. A file without {@code tailflow_positions} but
 * with {@code positions:} is Promtail's: {@link #promtail()} returns it for the first-start
 * migration.
 *
 * <p>Writes are atomic and durable: temp file in the same directory, fsync, rename over the old
 * file, fsync of the directory. Thread-safe: every client's reader writes through one instance.
 * Read with SnakeYAML's event parser and written by {@link PrettyJson} in Jackson's layout (what it
 * was written with before): no JSON library at run time.
 */
public final class PositionsFile {

    /** One client's parts. */
    private record Section(FilePositions files, Map<String, JournalPosition> journal) {}

    private static final FilePositions NO_FILES = new FilePositions(List.of(), Map.of());

    private final Path path;
    private final Map<String, Section> sections = new LinkedHashMap<>();
    private boolean loaded;
    private long loadedModifiedMillis = -1;

    public PositionsFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** This client's files, or null if the file has none for it (absent, Promtail's, new client). */
    public synchronized FilePositions files(String clientKey) throws IOException {
        loadOnce();
        Section s = sections.get(clientKey);
        return s == null || s.files() == null ? null : s.files();
    }

    /** This client's journal cursors by Promtail's key {@code cursor-<job_name>}; empty if none. */
    public synchronized Map<String, JournalPosition> journal(String clientKey) throws IOException {
        loadOnce();
        Section s = sections.get(clientKey);
        return s == null ? Map.of() : s.journal();
    }

    /**
     * When the file was last written before this process started (ms since the epoch), or -1:
     * files written to after that were written while the agent was down.
     */
    public synchronized long lastWrittenBeforeStart() throws IOException {
        loadOnce();
        return loadedModifiedMillis;
    }

    /**
     * Promtail's {@code positions:} map as written (path to offset, {@code journal-<job>} to
     * cursor) if the file is Promtail's, else empty.
     */
    public synchronized Map<String, String> promtail() throws IOException {
        Map<String, Object> root = parse();
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null || root.containsKey("tailflow_positions") || !(root.get("positions") instanceof Map<?, ?>)) {
            return out;
        }
        map(root.get("positions")).forEach((k, v) -> out.put(k, text(v).trim()));
        return out;
    }

    private Map<String, Object> parse() throws IOException {
        if (!Files.exists(path)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(path);
        if (bytes.length == 0) {
            return null;
        }
        Object root;
        try {
            root = YamlValues.read(new String(bytes, StandardCharsets.UTF_8));
        } catch (RuntimeException e) { // SnakeYAML's YAMLException and its kin
            throw new IOException(path + ": not a positions file (" + String.valueOf(e.getMessage()).lines().findFirst()
                    .orElse("") + ")", e);
        }
        if (root != null && !(root instanceof Map<?, ?>)) {
            throw new IOException(path + ": not a positions file (expected a mapping at the top)");
        }
        return root == null ? null : map(root);
    }

    private void loadOnce() throws IOException {
        if (loaded) {
            return;
        }
        loaded = true;
        if (Files.exists(path)) {
            loadedModifiedMillis = Files.getLastModifiedTime(path).toMillis();
        }
        Map<String, Object> root = parse();
        if (root == null || !root.containsKey("tailflow_positions")) {
            return;
        }
        for (Map.Entry<String, Object> c : map(root.get("clients")).entrySet()) {
            Map<String, Object> section = map(c.getValue());
            FilePositions files = null;
            if (section.containsKey("files")) {
                List<FilePosition> list = new ArrayList<>();
                for (Object o : list(section.get("files"))) {
                    Map<String, Object> f = map(o);
                    List<Lease> leases = new ArrayList<>();
                    for (Object l : list(f.get("leases"))) {
                        List<Object> lease = list(l);
                        leases.add(new Lease(number(lease.get(0)), number(lease.get(1)), number(lease.get(2))));
                    }
                    list.add(new FilePosition(text(f.get("path")), number(f.get("device")), number(f.get("inode")),
                            number(f.get("offset")), leases, text(f.get("head"))));
                }
                Map<String, Long> floors = new HashMap<>();
                map(section.get("timestamp_floors")).forEach((k, v) -> floors.put(k, number(v)));
                files = new FilePositions(list, floors);
            }
            Map<String, JournalPosition> journal = new LinkedHashMap<>();
            map(section.get("journal")).forEach((k, v) -> journal.put(k,
                    new JournalPosition(text(map(v).get("cursor")), number(map(v).get("realtime_us")))));
            sections.put(c.getKey(), new Section(files, Map.copyOf(journal)));
        }
    }

    /** A mapping, or empty for anything else (absent, null): as a missing node read before. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static String text(Object o) {
        return o == null || o instanceof Map<?, ?> || o instanceof List<?> ? "" : o.toString();
    }

    /** A number written as JSON or as a quoted string; 0 when absent or not a number (as before). */
    private static long number(Object o) {
        try {
            return Long.parseLong(text(o).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Replaces this client's files and writes the whole file durably. */
    public synchronized void writeFiles(String clientKey, FilePositions files) throws IOException {
        loadOnce();
        Section old = sections.get(clientKey);
        sections.put(clientKey, new Section(files, old == null ? Map.of() : old.journal()));
        write();
    }

    /** Replaces this client's journal cursors (keys {@code cursor-<job_name>}) and writes the file durably. */
    public synchronized void writeJournal(String clientKey, Map<String, JournalPosition> cursors) throws IOException {
        loadOnce();
        Section old = sections.get(clientKey);
        sections.put(clientKey, new Section(old == null ? null : old.files(), Map.copyOf(cursors)));
        write();
    }

    private void write() throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tailflow_positions", 1);
        Map<String, Object> clients = new LinkedHashMap<>();
        root.put("clients", clients);
        Map<String, Object> promtail = new LinkedHashMap<>();
        boolean first = true;
        for (Map.Entry<String, Section> c : sections.entrySet()) {
            Map<String, Object> section = new LinkedHashMap<>();
            clients.put(c.getKey(), section);
            FilePositions files = c.getValue().files() == null ? NO_FILES : c.getValue().files();
            List<Object> list = new ArrayList<>();
            section.put("files", list);
            for (FilePosition s : files.files()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("path", s.label());
                f.put("device", s.device());
                f.put("inode", s.inode());
                f.put("offset", s.offset());
                if (!s.head().isEmpty()) {
                    f.put("head", s.head());
                }
                List<Object> leases = new ArrayList<>();
                for (Lease l : s.leases()) {
                    leases.add(List.of(l.start(), l.end(), l.base()));
                }
                f.put("leases", leases);
                list.add(f);
                if (first) {
                    promtail.put(s.label(), Long.toString(s.offset()));
                }
            }
            section.put("timestamp_floors", new java.util.TreeMap<>(files.timestampFloors()));
            if (!c.getValue().journal().isEmpty()) {
                Map<String, Object> journal = new LinkedHashMap<>();
                c.getValue().journal().forEach((key, p) -> {
                    Map<String, Object> j = new LinkedHashMap<>();
                    j.put("cursor", p.cursor());
                    j.put("realtime_us", p.realtimeMicros());
                    journal.put(key, j);
                    promtail.putIfAbsent(key, p.cursor());
                });
                section.put("journal", journal);
            }
            first = false;
        }
        root.put("positions", promtail);
        writeAtomically(path, PrettyJson.write(root).getBytes(StandardCharsets.UTF_8));
    }

    /** temp file, fsync, rename, fsync directory. */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
