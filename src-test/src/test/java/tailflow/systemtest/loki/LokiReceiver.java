package tailflow.systemtest.loki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A strict stand-in for Grafana Loki's push API, for tests: Loki itself cannot be installed on
 * the test machines, so this receiver speaks its wire format and applies its rules.
 *
 * <ul>
 *   <li>{@code POST /loki/api/v1/push}: {@code application/x-protobuf} bodies in snappy BLOCK
 *       format (a framed-snappy body fails to decode and is answered 400, as Loki does), and
 *       {@code application/json} bodies, optionally {@code Content-Encoding: gzip}.</li>
 *   <li>Validation as Loki's defaults (any violation answers 400 with Loki-like wording and
 *       stores nothing from the request, see specs/loki-push.md): label set syntax, label names
 *       {@code [a-zA-Z_][a-zA-Z0-9_]*}, at most 15 labels, no duplicate label, line at most
 *       256 KiB, timestamp not older than 1 week and not more than 10 minutes in the future,
 *       not more than 1 hour behind the newest entry of its stream (unordered writes window);
 *       decoded protobuf over 4 MiB answers 500 like Loki's gRPC limit.</li>
 *   <li>Storage with Loki's duplicate rule: an entry equal in stream, timestamp and line to a
 *       stored one is ignored.</li>
 *   <li>Failure injection: {@link #mode(Mode)} makes it answer 429, 500 or 400, or hang (hold
 *       the request without answering until the mode changes).</li>
 * </ul>
 *
 * Runs in a test JVM ({@link #start}) or standalone ({@link #main}: {@code host:port}), where
 * {@code GET /tailflow/entries} lists what was stored (JSON lines), {@code GET /tailflow/stats}
 * the counters and {@code POST /tailflow/mode?set=500|429|400|hang|ok} injects failures.
 */
public final class LokiReceiver implements AutoCloseable {

    public enum Mode { OK, FAIL_429, FAIL_500, FAIL_400, HANG }

    /** A stored entry; {@code structuredMetadata} as pushed (protobuf field 3, JSON's third value element). */
    public record Entry(String labels, long timestampNanos, String line, Map<String, String> structuredMetadata) {
        public Entry {
            structuredMetadata = Map.copyOf(structuredMetadata);
        }

        public Entry(String labels, long timestampNanos, String line) {
            this(labels, timestampNanos, line, Map.of());
        }
    }

    /** Loki's defaults, adjustable for tests. */
    public record Limits(int maxLineBytes, int maxLabels, Duration orderWindow, Duration maxAge, Duration creationGrace,
            long maxDecodedBytes) {
        public static Limits lokiDefaults() {
            return new Limits(256 * 1024, 15, Duration.ofHours(1), Duration.ofDays(7), Duration.ofMinutes(10),
                    4L * 1024 * 1024);
        }
    }

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Limits limits;
    private final Clock clock;
    private final boolean countOnly;
    private final Object lock = new Object();
    private final Map<String, StreamStore> streams = new HashMap<>();
    private final List<Entry> stored = new ArrayList<>();
    /** Per stored entry: the tenant it was pushed as (X-Scope-OrgID; {@link #NO_TENANT} without one). */
    private final List<String> storedTenants = new ArrayList<>();
    private final Map<Integer, AtomicLong> answers = new TreeMap<>();
    private final AtomicLong pushes = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong entriesReceived = new AtomicLong();
    private final AtomicLong lineBytesReceived = new AtomicLong();
    private final List<Map<String, String>> headers = Collections.synchronizedList(new ArrayList<>());
    private volatile Mode mode = Mode.OK;
    /** Pushes of this tenant are answered 500 (one tenant failing while others succeed); null: none. */
    private volatile String failingTenant;
    private volatile boolean closed;

    private static final class StreamStore {
        long newest = Long.MIN_VALUE;
        final Set<TsLine> seen = new HashSet<>();
    }

    private record TsLine(long ts, String line) {}

    private LokiReceiver(InetSocketAddress address, Limits limits, Clock clock, boolean countOnly) throws IOException {
        this.limits = limits;
        this.clock = clock;
        this.countOnly = countOnly;
        server = HttpServer.create(address, 64);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loki-receiver");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/loki/api/v1/push", this::push);
        server.createContext("/ready", ex -> respond(ex, 200, "ready\n"));
        server.createContext("/tailflow/entries", this::listEntries);
        server.createContext("/tailflow/stats", ex -> respond(ex, 200, stats() + "\n"));
        server.createContext("/tailflow/mode", this::setMode);
        server.start();
    }

    /** Starts on host:port (port 0 = any free port) with Loki's default limits, storing every entry. */
    public static LokiReceiver start(String host, int port) throws IOException {
        return new LokiReceiver(new InetSocketAddress(host, port), Limits.lokiDefaults(), Clock.systemUTC(), false);
    }

    /**
     * Starts a receiver that validates and counts but keeps no entries (benchmarks: a GiB of
     * lines would not fit in the test heap). Duplicates are then not detected.
     */
    public static LokiReceiver startCounting(String host, int port) throws IOException {
        return new LokiReceiver(new InetSocketAddress(host, port), Limits.lokiDefaults(), Clock.systemUTC(), true);
    }

    /** A counting receiver with its own limits and clock (a benchmark replaying old entries). */
    public static LokiReceiver startCounting(String host, int port, Limits limits, Clock clock) throws IOException {
        return new LokiReceiver(new InetSocketAddress(host, port), limits, clock, true);
    }

    public static LokiReceiver start(String host, int port, Limits limits, Clock clock) throws IOException {
        return new LokiReceiver(new InetSocketAddress(host, port), limits, clock, false);
    }

    /** Standalone: {@code LokiReceiver 127.0.0.1:3100} (or {@code 10.200.N.1:3100}). */
    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !args[0].contains(":")) {
            System.err.println("usage: LokiReceiver <host>:<port>");
            System.exit(2);
        }
        int colon = args[0].lastIndexOf(':');
        LokiReceiver r = start(args[0].substring(0, colon), Integer.parseInt(args[0].substring(colon + 1)));
        System.out.println("loki receiver listening on " + r.pushUrl());
        Runtime.getRuntime().addShutdownHook(new Thread(r::close));
        Thread.currentThread().join();
    }

    public URI pushUrl() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/loki/api/v1/push");
    }

    /** Answers pushes of {@code tenant} (X-Scope-OrgID) with 500 until called with null. */
    public void failTenant(String tenant) {
        failingTenant = tenant;
    }

    public void mode(Mode newMode) {
        synchronized (lock) {
            mode = newMode;
            lock.notifyAll();
        }
    }

    /** Every stored entry, in arrival order. */
    public List<Entry> entries() {
        synchronized (lock) {
            return List.copyOf(stored);
        }
    }

    /** What Loki calls the tenant of a push without X-Scope-OrgID (auth_enabled: false). */
    public static final String NO_TENANT = "fake";

    /** The entries pushed as {@code tenant} (Loki keeps tenants apart: streams, order and duplicates per tenant). */
    public List<Entry> entries(String tenant) {
        synchronized (lock) {
            List<Entry> out = new ArrayList<>();
            for (int i = 0; i < stored.size(); i++) {
                if (storedTenants.get(i).equals(tenant)) {
                    out.add(stored.get(i));
                }
            }
            return out;
        }
    }

    public int storedCount() {
        synchronized (lock) {
            return stored.size();
        }
    }

    /** Entries that arrived again and were dropped by the duplicate rule. */
    public long duplicates() {
        return duplicates.get();
    }

    public long entriesReceived() {
        return entriesReceived.get();
    }

    public long lineBytesReceived() {
        return lineBytesReceived.get();
    }

    public long pushes() {
        return pushes.get();
    }

    /** How often each status was answered. */
    public Map<Integer, Long> answers() {
        Map<Integer, Long> out = new TreeMap<>();
        synchronized (answers) {
            answers.forEach((k, v) -> out.put(k, v.get()));
        }
        return out;
    }

    /** Request headers of every push (lower-case names), for auth and tenant checks. */
    public List<Map<String, String>> requestHeaders() {
        synchronized (headers) {
            return List.copyOf(headers);
        }
    }

    public String stats() {
        return "pushes=" + pushes + " entries_received=" + entriesReceived + " stored=" + storedCount()
                + " duplicates=" + duplicates + " answers=" + answers();
    }

    @Override
    public void close() {
        closed = true;
        mode(Mode.OK);
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ push

    private void push(HttpExchange ex) throws IOException {
        try (ex) {
            pushes.incrementAndGet();
            Map<String, String> h = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
            headers.add(h);
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                answer(ex, 405, "method not allowed");
                return;
            }
            Mode m = mode;
            if (m == Mode.HANG) {
                synchronized (lock) {
                    long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                    while (mode == Mode.HANG && !closed && System.nanoTime() < until) {
                        try {
                            lock.wait(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                answer(ex, 503, "was hanging");
                return;
            }
            switch (m) {
                case FAIL_429 -> {
                    answer(ex, 429, "Ingestion rate limit exceeded (injected)");
                    return;
                }
                case FAIL_500 -> {
                    answer(ex, 500, "internal error (injected)");
                    return;
                }
                case FAIL_400 -> {
                    answer(ex, 400, "validation error (injected)");
                    return;
                }
                default -> { }
            }
            List<Entry> entries;
            try {
                entries = decode(ex.getRequestHeaders().getFirst("Content-Type"),
                        ex.getRequestHeaders().getFirst("Content-Encoding"), body);
            } catch (TooLarge e) {
                answer(ex, 500, e.getMessage());
                return;
            } catch (RuntimeException | IOException e) {
                answer(ex, 400, "failed to parse push request: " + e.getMessage());
                return;
            }
            String orgId = ex.getRequestHeaders().getFirst("X-Scope-OrgID");
            if (orgId != null && orgId.equals(failingTenant)) {
                answer(ex, 500, "tenant " + orgId + " failing (injected)");
                return;
            }
            String invalid = store(entries, orgId == null || orgId.isEmpty() ? NO_TENANT : orgId);
            if (invalid != null) {
                answer(ex, 400, invalid);
            } else {
                answer(ex, 204, "");
            }
        }
    }

    private static final class TooLarge extends RuntimeException {
        TooLarge(String m) {
            super(m);
        }
    }

    List<Entry> decode(String contentType, String contentEncoding, byte[] body) throws IOException {
        String type = contentType == null ? "application/x-protobuf" : contentType.split(";")[0].trim();
        if (contentEncoding != null && contentEncoding.equalsIgnoreCase("gzip")) {
            try (GZIPInputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                body = gz.readAllBytes();
            }
        } else if (contentEncoding != null && !contentEncoding.isBlank()) {
            throw new IOException("unsupported Content-Encoding " + contentEncoding);
        }
        if (type.equals("application/json")) {
            return decodeJson(body);
        }
        if (!type.equals("application/x-protobuf")) {
            throw new IOException("unsupported Content-Type " + type);
        }
        int length;
        try {
            length = SnappyDecompressor.getUncompressedLength(body, 0);
        } catch (RuntimeException e) {
            throw new IOException("snappy: corrupt input (is it the framed format?)");
        }
        if (length < 0 || length > 64 * 1024 * 1024) {
            throw new IOException("snappy: corrupt input (implausible length " + length + ")");
        }
        if (length > limits.maxDecodedBytes()) {
            throw new TooLarge("rpc error: code = ResourceExhausted desc = grpc: received message larger than max ("
                    + length + " vs. " + limits.maxDecodedBytes() + ")");
        }
        byte[] raw = new byte[length];
        int n;
        try {
            n = new SnappyDecompressor().decompress(body, 0, body.length, raw, 0, raw.length);
        } catch (RuntimeException e) {
            throw new IOException("snappy: corrupt input: " + e.getMessage());
        }
        if (n != length) {
            throw new IOException("snappy: decoded " + n + " bytes, header says " + length);
        }
        return decodeProtobuf(raw, 0, raw.length);
    }

    /** PushRequest -> entries; labels kept as sent (validated in {@link #store}). */
    static List<Entry> decodeProtobuf(byte[] raw, int off, int len) {
        List<Entry> out = new ArrayList<>();
        WireReader req = new WireReader(raw, off, len);
        while (req.more()) {
            int[] t = req.tag();
            if (t[0] != 1 || t[1] != 2) {
                req.skip(t[1]);
                continue;
            }
            WireReader stream = req.message();
            String labels = null;
            List<long[]> tsIdx = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            List<Map<String, String>> metadata = new ArrayList<>();
            while (stream.more()) {
                int[] st = stream.tag();
                if (st[0] == 1 && st[1] == 2) {
                    labels = stream.string();
                } else if (st[0] == 2 && st[1] == 2) {
                    WireReader entry = stream.message();
                    long seconds = 0;
                    long nanos = 0;
                    String line = "";
                    Map<String, String> md = new LinkedHashMap<>();
                    while (entry.more()) {
                        int[] et = entry.tag();
                        if (et[0] == 1 && et[1] == 2) {
                            WireReader ts = entry.message();
                            while (ts.more()) {
                                int[] tt = ts.tag();
                                if (tt[0] == 1 && tt[1] == 0) {
                                    seconds = ts.varint();
                                } else if (tt[0] == 2 && tt[1] == 0) {
                                    nanos = (int) ts.varint();
                                } else {
                                    ts.skip(tt[1]);
                                }
                            }
                        } else if (et[0] == 2 && et[1] == 2) {
                            line = entry.string();
                        } else if (et[0] == 3 && et[1] == 2) {
                            WireReader pair = entry.message();
                            String name = "";
                            String value = "";
                            while (pair.more()) {
                                int[] pt = pair.tag();
                                if (pt[0] == 1 && pt[1] == 2) {
                                    name = pair.string();
                                } else if (pt[0] == 2 && pt[1] == 2) {
                                    value = pair.string();
                                } else {
                                    pair.skip(pt[1]);
                                }
                            }
                            md.put(name, value);
                        } else {
                            entry.skip(et[1]);
                        }
                    }
                    if (nanos < 0 || nanos > 999_999_999) {
                        throw new IllegalArgumentException("timestamp nanos out of range: " + nanos);
                    }
                    tsIdx.add(new long[] {seconds * 1_000_000_000L + nanos});
                    lines.add(line);
                    metadata.add(md);
                } else {
                    stream.skip(st[1]);
                }
            }
            if (labels == null) {
                throw new IllegalArgumentException("stream without labels");
            }
            for (int i = 0; i < lines.size(); i++) {
                out.add(new Entry(labels, tsIdx.get(i)[0], lines.get(i), metadata.get(i)));
            }
        }
        return out;
    }

    private static List<Entry> decodeJson(byte[] body) throws IOException {
        JsonNode root = new ObjectMapper().readTree(body);
        if (root == null || !root.path("streams").isArray()) {
            throw new IOException("JSON body has no streams array");
        }
        List<Entry> out = new ArrayList<>();
        for (JsonNode s : root.get("streams")) {
            if (!s.path("stream").isObject()) {
                throw new IOException("stream without a stream object");
            }
            StringBuilder labels = new StringBuilder("{");
            boolean first = true;
            for (var it = s.get("stream").fields(); it.hasNext(); ) {
                var f = it.next();
                labels.append(first ? "" : ", ").append(f.getKey()).append("=\"")
                        .append(f.getValue().asText().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                        .append('"');
                first = false;
            }
            labels.append('}');
            for (JsonNode v : s.path("values")) {
                if (!v.isArray() || v.size() < 2 || !v.get(0).isTextual()) {
                    throw new IOException("value must be [\"<ns>\", \"<line>\"]: " + v);
                }
                Map<String, String> md = new LinkedHashMap<>();
                if (v.size() > 2) {
                    if (!v.get(2).isObject()) {
                        throw new IOException("structured metadata must be an object: " + v);
                    }
                    v.get(2).fields().forEachRemaining(f -> md.put(f.getKey(), f.getValue().asText()));
                }
                out.add(new Entry(labels.toString(), Long.parseLong(v.get(0).asText()), v.get(1).asText(), md));
            }
        }
        return out;
    }

    /** Loki's label-set parser, strict: returns the labels or throws with Loki-like wording. */
    static Map<String, String> parseLabels(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        String s = text.trim();
        if (!s.startsWith("{") || !s.endsWith("}")) {
            throw new IllegalArgumentException("error parsing labels '" + text + "': missing braces");
        }
        int i = 1;
        int end = s.length() - 1;
        while (true) {
            while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            if (i >= end) {
                break;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0 || eq + 1 >= end || s.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("error parsing labels '" + text + "': expected name=\"value\"");
            }
            String name = s.substring(i, eq).trim();
            if (!LABEL_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("error parsing labels '" + text + "': invalid label name " + name);
            }
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (; j < end; j++) {
                char c = s.charAt(j);
                if (c == '\\' && j + 1 < end) {
                    char n = s.charAt(++j);
                    v.append(n == 'n' ? '\n' : n);
                } else if (c == '"') {
                    break;
                } else {
                    v.append(c);
                }
            }
            if (j >= end) {
                throw new IllegalArgumentException("error parsing labels '" + text + "': unterminated value");
            }
            if (out.containsKey(name)) {
                throw new IllegalArgumentException("stream '" + text + "' has duplicate label name: '" + name + "'");
            }
            out.put(name, v.toString());
            i = j + 1;
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("error at least one label pair is required per stream");
        }
        return out;
    }

    /** Validates the whole request, then stores it; returns Loki's 400 message or null. */
    private String store(List<Entry> entries, String tenant) {
        long now = clock.millis() * 1_000_000L;
        entriesReceived.addAndGet(entries.size());
        Map<String, String> canonical = new HashMap<>();
        for (Entry e : entries) {
            if (!canonical.containsKey(e.labels())) {
                Map<String, String> labels;
                try {
                    labels = parseLabels(e.labels());
                } catch (IllegalArgumentException ex) {
                    return ex.getMessage();
                }
                if (labels.size() > limits.maxLabels()) {
                    return "stream '" + e.labels() + "' has " + labels.size() + " label names; limit " + limits.maxLabels();
                }
                canonical.put(e.labels(), tenant + "|" + new TreeMap<>(labels));
            }
            int bytes = e.line().getBytes(StandardCharsets.UTF_8).length;
            lineBytesReceived.addAndGet(bytes);
            if (bytes > limits.maxLineBytes()) {
                return "Max entry size '" + limits.maxLineBytes() + "' bytes exceeded for stream '" + e.labels()
                        + "' while adding an entry with length '" + bytes + "' bytes";
            }
            if (e.timestampNanos() < now - limits.maxAge().toNanos()) {
                return "entry for stream '" + e.labels() + "' has timestamp too old: " + e.timestampNanos();
            }
            if (e.timestampNanos() > now + limits.creationGrace().toNanos()) {
                return "entry for stream '" + e.labels() + "' has timestamp too new: " + e.timestampNanos();
            }
        }
        synchronized (lock) {
            // Order window against what is stored plus what this request brings before it.
            Map<String, Long> newest = new HashMap<>();
            for (Entry e : entries) {
                String key = canonical.get(e.labels());
                StreamStore s = streams.get(key);
                long n = Math.max(s == null ? Long.MIN_VALUE : s.newest, newest.getOrDefault(key, Long.MIN_VALUE));
                if (n != Long.MIN_VALUE && e.timestampNanos() < n - limits.orderWindow().toNanos()) {
                    return "entry too far behind, entry timestamp is: " + e.timestampNanos() + ", oldest acceptable timestamp is: "
                            + (n - limits.orderWindow().toNanos());
                }
                newest.merge(key, e.timestampNanos(), Math::max);
            }
            for (Entry e : entries) {
                String key = canonical.get(e.labels());
                StreamStore s = streams.computeIfAbsent(key, k -> new StreamStore());
                s.newest = Math.max(s.newest, e.timestampNanos());
                if (countOnly) {
                    continue;
                }
                if (s.seen.add(new TsLine(e.timestampNanos(), e.line()))) {
                    stored.add(e);
                    storedTenants.add(tenant);
                } else {
                    duplicates.incrementAndGet();
                }
            }
        }
        return null;
    }

    private void answer(HttpExchange ex, int status, String message) throws IOException {
        synchronized (answers) {
            answers.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
        }
        respond(ex, status, message.isEmpty() ? "" : message + "\n");
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (status == 204 || bytes.length == 0) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        ex.close();
    }

    private void listEntries(HttpExchange ex) throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries()) {
            sb.append(json.writeValueAsString(Map.of("labels", e.labels(), "ts", Long.toString(e.timestampNanos()),
                    "line", e.line()))).append('\n');
        }
        respond(ex, 200, sb.toString());
    }

    private void setMode(HttpExchange ex) throws IOException {
        String q = ex.getRequestURI().getQuery();
        String value = q == null ? "" : q.replaceFirst("^set=", "");
        Mode m = switch (value) {
            case "ok" -> Mode.OK;
            case "429" -> Mode.FAIL_429;
            case "500" -> Mode.FAIL_500;
            case "400" -> Mode.FAIL_400;
            case "hang" -> Mode.HANG;
            default -> null;
        };
        if (m == null) {
            respond(ex, 400, "set=ok|429|500|400|hang\n");
            return;
        }
        mode(m);
        respond(ex, 200, "mode " + m + "\n");
    }
}
