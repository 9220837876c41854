package tailflow.agent.logs;

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
import tailflow.agent.logs.PositionLedger.Lease;
import tailflow.agent.logs.PositionLedger.Saved;
import tailflow.agent.logs.PositionLedger.Snapshot;

/**
 * The positions file, shared by all clients, each with its own section.
 *
 * <p>Format (JSON, which every YAML parser reads): {@code tailflow_positions: 1}, then
 * {@code clients: {<client key>: {files: [{path, device, inode, offset, leases: [[start, end,
 * base]...]}], timestamp_floors: {<filename>: ns}}}}, plus Promtail's own
 * {@code positions: {"<path>": "<offset>"}} for the first client, so a host can go back to
 * Promtail and resume.
 *
 * <p>A file without {@code tailflow_positions} but with {@code positions:} is Promtail's: it is
 * returned by {@link #readPromtail} for the first-start migration.
 *
 * <p>Writes are atomic and durable: temp file in the same directory, fsync, rename over the old
 * file, fsync of the directory. Thread-safe: clients write their sections through one instance.
 */
public final class PositionsFile {

    private final Path path;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Map<String, Snapshot> sections = new LinkedHashMap<>();
    private boolean loaded;
    private long loadedModifiedMillis = -1;

    public PositionsFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** This client's saved state, or null if the file has none (absent, Promtail's, new client). */
    public synchronized Snapshot read(String clientKey) throws IOException {
        loadOnce();
        return sections.get(clientKey);
    }

    /**
     * When the file was last written before this process started (ms since the epoch), or -1:
     * files written to after that were written while the agent was down.
     */
    public synchronized long lastWrittenBeforeStart() throws IOException {
        loadOnce();
        return loadedModifiedMillis;
    }

    /** Promtail's {@code positions:} map (path to offset) if the file is Promtail's, else empty. */
    public synchronized Map<String, Long> readPromtail() throws IOException {
        JsonNode root = parse();
        Map<String, Long> out = new LinkedHashMap<>();
        if (root == null || root.has("tailflow_positions") || !root.path("positions").isObject()) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("positions").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                out.put(e.getKey(), Long.parseLong(e.getValue().asText().trim()));
            } catch (NumberFormatException ex) {
                throw new IOException(path + ": Promtail position of " + e.getKey() + " is not a number: " + e.getValue());
            }
        }
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
            List<Saved> files = new ArrayList<>();
            for (JsonNode f : c.getValue().path("files")) {
                List<Lease> leases = new ArrayList<>();
                for (JsonNode l : f.path("leases")) {
                    leases.add(new Lease(l.get(0).asLong(), l.get(1).asLong(), l.get(2).asLong()));
                }
                files.add(new Saved(f.path("path").asText(), f.path("device").asLong(), f.path("inode").asLong(),
                        f.path("offset").asLong(), leases));
            }
            Map<String, Long> floors = new HashMap<>();
            c.getValue().path("timestamp_floors").fields().forEachRemaining(e -> floors.put(e.getKey(), e.getValue().asLong()));
            sections.put(c.getKey(), new Snapshot(files, floors));
        }
    }

    /** Replaces this client's section and writes the whole file durably. */
    public synchronized void write(String clientKey, Snapshot snapshot) throws IOException {
        loadOnce();
        sections.put(clientKey, snapshot);
        ObjectNode root = json.createObjectNode();
        root.put("tailflow_positions", 1);
        ObjectNode clients = root.putObject("clients");
        ObjectNode promtail = json.createObjectNode();
        boolean first = true;
        for (Map.Entry<String, Snapshot> c : sections.entrySet()) {
            ObjectNode section = clients.putObject(c.getKey());
            ArrayNode files = section.putArray("files");
            for (Saved s : c.getValue().files()) {
                ObjectNode f = files.addObject();
                f.put("path", s.label());
                f.put("device", s.device());
                f.put("inode", s.inode());
                f.put("offset", s.offset());
                ArrayNode leases = f.putArray("leases");
                for (Lease l : s.leases()) {
                    leases.addArray().add(l.start()).add(l.end()).add(l.base());
                }
                if (first) {
                    promtail.put(s.label(), Long.toString(s.offset()));
                }
            }
            ObjectNode floors = section.putObject("timestamp_floors");
            c.getValue().timestampFloors().forEach(floors::put);
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
