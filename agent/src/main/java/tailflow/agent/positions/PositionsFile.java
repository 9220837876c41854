package tailflow.agent.positions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 */
public final class PositionsFile {

    /** One client's parts. */
    private record Section(FilePositions files, Map<String, JournalPosition> journal) {}

    private static final FilePositions NO_FILES = new FilePositions(List.of(), Map.of());

    private final Path path;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
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
        JsonNode root = parse();
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null || root.has("tailflow_positions") || !root.path("positions").isObject()) {
            return out;
        }
        root.get("positions").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText().trim()));
        return out;
    }

    private JsonNode parse() throws IOException {
        if (!Files.exists(path)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(path);
        if (bytes.length == 0) {
            return null;
        }
        try {
            return yaml.readTree(bytes);
        } catch (IOException e) {
            throw new IOException(path + ": not a positions file (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }

    private void loadOnce() throws IOException {
        if (loaded) {
            return;
        }
        loaded = true;
        if (Files.exists(path)) {
            loadedModifiedMillis = Files.getLastModifiedTime(path).toMillis();
        }
        JsonNode root = parse();
        if (root == null || !root.has("tailflow_positions")) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("clients").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            JsonNode section = c.getValue();
            FilePositions files = null;
            if (section.has("files")) {
                List<FilePosition> list = new ArrayList<>();
                for (JsonNode f : section.path("files")) {
                    List<Lease> leases = new ArrayList<>();
                    for (JsonNode l : f.path("leases")) {
                        leases.add(new Lease(l.get(0).asLong(), l.get(1).asLong(), l.get(2).asLong()));
                    }
                    list.add(new FilePosition(f.path("path").asText(), f.path("device").asLong(), f.path("inode").asLong(),
                            f.path("offset").asLong(), leases, f.path("head").asText("")));
                }
                Map<String, Long> floors = new HashMap<>();
                section.path("timestamp_floors").fields().forEachRemaining(e -> floors.put(e.getKey(), e.getValue().asLong()));
                files = new FilePositions(list, floors);
            }
            Map<String, JournalPosition> journal = new LinkedHashMap<>();
            section.path("journal").fields().forEachRemaining(e -> journal.put(e.getKey(),
                    new JournalPosition(e.getValue().path("cursor").asText(), e.getValue().path("realtime_us").asLong())));
            sections.put(c.getKey(), new Section(files, Map.copyOf(journal)));
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
        ObjectNode root = json.createObjectNode();
        root.put("tailflow_positions", 1);
        ObjectNode clients = root.putObject("clients");
        ObjectNode promtail = json.createObjectNode();
        boolean first = true;
        for (Map.Entry<String, Section> c : sections.entrySet()) {
            ObjectNode section = clients.putObject(c.getKey());
            FilePositions files = c.getValue().files() == null ? NO_FILES : c.getValue().files();
            ArrayNode list = section.putArray("files");
            for (FilePosition s : files.files()) {
                ObjectNode f = list.addObject();
                f.put("path", s.label());
                f.put("device", s.device());
                f.put("inode", s.inode());
                f.put("offset", s.offset());
                if (!s.head().isEmpty()) {
                    f.put("head", s.head());
                }
                ArrayNode leases = f.putArray("leases");
                for (Lease l : s.leases()) {
                    leases.addArray().add(l.start()).add(l.end()).add(l.base());
                }
                if (first) {
                    promtail.put(s.label(), Long.toString(s.offset()));
                }
            }
            ObjectNode floors = section.putObject("timestamp_floors");
            files.timestampFloors().forEach(floors::put);
            if (!c.getValue().journal().isEmpty()) {
                ObjectNode journal = section.putObject("journal");
                c.getValue().journal().forEach((key, p) -> {
                    journal.putObject(key).put("cursor", p.cursor()).put("realtime_us", p.realtimeMicros());
                    if (!promtail.has(key)) {
                        promtail.put(key, p.cursor());
                    }
                });
            }
            first = false;
        }
        root.set("positions", promtail);
        writeAtomically(path, json.writeValueAsBytes(root));
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
