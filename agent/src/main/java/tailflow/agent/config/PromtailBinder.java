package tailflow.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an agent.yaml / promtail-config.yaml tree into {@link AgentConfig}, with Promtail's
 * defaults. The sflow block is handed to {@link SflowBinder}.
 */
final class PromtailBinder {
    static final Path DEFAULT_POSITIONS = Path.of("/var/log/positions.yaml");
    static final Duration DEFAULT_SYNC_PERIOD = Duration.ofSeconds(10);
    static final Duration DEFAULT_BATCH_WAIT = Duration.ofSeconds(1);
    static final long DEFAULT_BATCH_SIZE = 1_048_576;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(500);
    static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
    static final int DEFAULT_MAX_RETRIES = 10;
    static final int DEFAULT_GRPC_PORT = 9095;
    static final long DEFAULT_MAX_LINE_SIZE = 256 * 1024;
    static final Duration DEFAULT_PARTIAL_LINE_WAIT = Duration.ofSeconds(5);
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final BindContext ctx;
    private final boolean clientsRequired;

    PromtailBinder(BindContext ctx, boolean clientsRequired) {
        this.ctx = ctx;
        this.clientsRequired = clientsRequired;
    }

    /** The config of an agent given only an hsflowd.conf: Promtail's defaults, no clients, no jobs. */
    static AgentConfig defaults() {
        return new AgentConfig(new ServerConfig("0.0.0.0", ServerConfig.DEFAULT_HTTP_PORT, DEFAULT_GRPC_PORT),
                new PositionsConfig(DEFAULT_POSITIONS, DEFAULT_SYNC_PERIOD), List.of(), List.of(),
                new TargetConfig(DEFAULT_SYNC_PERIOD), new LimitsConfig(DEFAULT_MAX_LINE_SIZE, DEFAULT_PARTIAL_LINE_WAIT),
                Optional.empty(), List.of());
    }

    /** @param hasExternalSflow an hsflowd.conf replaces the sflow block; then this file need not have one */
    AgentConfig bind(Node root, boolean hasExternalSflow) {
        Section top = Section.of(ctx, root, "", "server:, positions:, clients:, scrape_configs:, sflow:");
        ServerConfig server = server(top);
        PositionsConfig positions = positions(top);
        Optional<Node.Entry> clientsEntry = top.entry("clients");
        List<ClientConfig> clients = clients(top, clientsEntry);
        List<ScrapeConfig> scrapes = scrapeConfigs(top);
        TargetConfig target = new TargetConfig(top.section("target_config", "sync_period: 10s")
                .map(t -> {
                    Duration d = t.duration("sync_period", DEFAULT_SYNC_PERIOD);
                    t.finish(KnownKeys.TARGET_UNSUPPORTED);
                    return d;
                }).orElse(DEFAULT_SYNC_PERIOD));
        LimitsConfig limits = limits(top);
        Optional<Section> sflowSection = top.section("sflow", "polling: 20, sampling: 400, collectors: [...]");
        Optional<SflowConfig> sflow = sflowSection.map(s -> new SflowBinder(ctx).bind(s));
        if (sflowSection.isPresent() && hasExternalSflow) {
            Node.Entry e = top.entry("sflow").orElseThrow();
            ctx.warn(e.keyLocation(), "sflow", "ignored: --hsflowd-config supplies the sflow settings");
            sflow = Optional.empty();
        }
        top.finish(KnownKeys.TOP_UNSUPPORTED);

        boolean clientsGiven = clientsEntry.map(e -> !(e.value() instanceof Node.Scalar sc && sc.isNull())
                && !(e.value() instanceof Node.Sequence sq && sq.items().isEmpty())).orElse(false);
        if (clients.isEmpty() && !clientsGiven && !top.has("client")) {
            boolean logsWanted = !scrapes.isEmpty() || top.has("positions");
            if (logsWanted ? clientsRequired : sflowSection.isEmpty() && !hasExternalSflow) {
                Node.Location at = clientsEntry.map(Node.Entry::keyLocation).orElse(root.location());
                ctx.error(at, "clients", "expected at least one Loki client: clients: [{url: http://localhost:3100/loki/api/v1/push}]");
            }
        }
        return new AgentConfig(server, positions, clients, scrapes, target, limits, sflow, List.of());
    }

    private ServerConfig server(Section top) {
        Optional<Section> s = top.section("server", "http_listen_port: 9080");
        if (s.isEmpty()) {
            return new ServerConfig("0.0.0.0", ServerConfig.DEFAULT_HTTP_PORT, DEFAULT_GRPC_PORT);
        }
        String address = s.get().parsed("http_listen_address", "an IP address to listen on, like 0.0.0.0 or 127.0.0.1",
                t -> t.isBlank() ? Optional.of("0.0.0.0") : Addresses.isIp(t.trim()) || t.trim().equals("localhost")
                        ? Optional.of(t.trim()) : Optional.empty()).orElse("0.0.0.0");
        String port = "a TCP port from 0 to 65535 (0 picks a free one)";
        int http = s.get().integer("http_listen_port", ServerConfig.DEFAULT_HTTP_PORT, 0, 65_535, port);
        int grpc = s.get().integer("grpc_listen_port", DEFAULT_GRPC_PORT, 0, 65_535, port);
        String level = s.get().parsed("log_level", "one of debug, info, warn, error", t -> Optional.of(t.trim())
                .filter(v -> List.of("debug", "info", "warn", "error").contains(v))).orElse(ServerConfig.DEFAULT_LOG_LEVEL);
        s.get().finish(KnownKeys.SERVER_UNSUPPORTED);
        return new ServerConfig(address, http, grpc, level);
    }

    private PositionsConfig positions(Section top) {
        Optional<Section> s = top.section("positions", "filename: /var/lib/tailflow/positions.yaml");
        if (s.isEmpty()) {
            return new PositionsConfig(DEFAULT_POSITIONS, DEFAULT_SYNC_PERIOD);
        }
        Path file = s.get().parsed("filename", "a file path", PromtailBinder::path).orElse(DEFAULT_POSITIONS);
        Duration sync = s.get().duration("sync_period", DEFAULT_SYNC_PERIOD);
        s.get().finish(KnownKeys.POSITIONS_UNSUPPORTED);
        return new PositionsConfig(file, sync);
    }

    private static Optional<Path> path(String text) {
        if (text.isBlank() || text.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        return Optional.of(Path.of(text.trim()));
    }

    private LimitsConfig limits(Section top) {
        Optional<Section> s = top.section("limits_config", "max_line_size: 256KiB");
        if (s.isEmpty()) {
            return new LimitsConfig(DEFAULT_MAX_LINE_SIZE, DEFAULT_PARTIAL_LINE_WAIT);
        }
        Section l = s.get();
        long max = l.bytes("max_line_size", 0); // Promtail: 0, no limit (the tailers still stop reading at 256 KiB)
        Duration wait = l.duration("partial_line_wait", DEFAULT_PARTIAL_LINE_WAIT);
        boolean rateEnabled = l.bool("readline_rate_enabled", false);
        double rate = l.parsed("readline_rate", "a number of lines a second above 0, like 10000", t -> {
            try {
                return Optional.of(Double.parseDouble(t.trim())).filter(v -> v > 0);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }).orElse(LimitsConfig.DEFAULT_READLINE_RATE);
        int burst = l.integer("readline_burst", LimitsConfig.DEFAULT_READLINE_BURST, 1, Integer.MAX_VALUE, "a whole number above 0");
        boolean drop = l.bool("readline_rate_drop", true);
        int maxStreams = l.integer("max_streams", 0, 0, Integer.MAX_VALUE, "a whole number, 0 for no limit");
        boolean truncate = l.bool("max_line_size_truncate", false);
        l.finish(KnownKeys.LIMITS_UNSUPPORTED);
        return new LimitsConfig(LimitsConfig.readLimitFor(max), wait, rateEnabled, rate, burst, drop, maxStreams, truncate,
                Math.min(max, Integer.MAX_VALUE - 2 * LimitsConfig.READ_MARGIN));
    }

    private List<ClientConfig> clients(Section top, Optional<Node.Entry> entry) {
        List<ClientConfig> out = new ArrayList<>();
        List<Node> items = top.list(entry, "- url: http://localhost:3100/loki/api/v1/push");
        for (int i = 0; i < items.size(); i++) {
            Section c = Section.of(ctx, items.get(i), "clients[" + i + "]", "url: http://localhost:3100/loki/api/v1/push");
            client(c).ifPresent(out::add);
        }
        // Promtail's older single `client:` block, still accepted by Promtail: one more client.
        Optional<Node.Entry> single = top.entry("client");
        if (single.isPresent()) {
            ctx.warn(single.get().keyLocation(), "client", "deprecated (as in Promtail): write it as an entry of clients:");
            client(Section.of(ctx, single.get().value(), "client", "url: http://localhost:3100/loki/api/v1/push",
                    single.get().keyLocation())).ifPresent(out::add);
        }
        return out;
    }

    private Optional<ClientConfig> client(Section c) {
        Optional<URI> url = c.parsed("url", "an http:// or https:// URL like http://localhost:3100/loki/api/v1/push",
                PromtailBinder::httpUrl);
        if (!c.has("url")) {
            ctx.error(c.location(), c.keyPath("url"), "expected the Loki push URL: url: http://localhost:3100/loki/api/v1/push");
        }
        Optional<String> tenant = c.string("tenant_id");
        Duration batchWait = c.duration("batchwait", DEFAULT_BATCH_WAIT);
        long batchSize = c.bytes("batchsize", DEFAULT_BATCH_SIZE);
        Duration timeout = c.duration("timeout", DEFAULT_TIMEOUT);
        ClientConfig.BackoffConfig backoff = c.section("backoff_config", "min_period: 500ms, max_period: 5m, max_retries: 10")
                .map(this::backoff)
                .orElse(new ClientConfig.BackoffConfig(DEFAULT_MIN_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MAX_RETRIES));
        Optional<ClientConfig.BasicAuth> basicAuth = c.section("basic_auth", "username: u, password: p").flatMap(this::basicAuth);
        Optional<String> bearer = c.string("bearer_token");
        if (basicAuth.isPresent() && bearer.isPresent()) {
            Node.Entry e = c.entry("bearer_token").orElseThrow();
            ctx.error(e.keyLocation(), c.keyPath("bearer_token"), "expected either basic_auth or bearer_token, not both");
        }
        Optional<ClientConfig.TlsConfig> tls = c.section("tls_config", "ca_file: /etc/ssl/ca.pem").map(this::tls);
        Map<String, String> external = externalLabels(c);
        ClientConfig.PushEncoding encoding = c.parsed("encoding", "protobuf (Loki's default) or json",
                t -> switch (t.trim().toLowerCase(Locale.ROOT)) {
                    case "protobuf" -> Optional.of(ClientConfig.PushEncoding.PROTOBUF);
                    case "json" -> Optional.of(ClientConfig.PushEncoding.JSON);
                    default -> Optional.empty();
                }).orElse(ClientConfig.PushEncoding.PROTOBUF);
        c.finish(KnownKeys.CLIENT_UNSUPPORTED);
        return url.map(u -> new ClientConfig(u, tenant, batchWait, batchSize, timeout, backoff, basicAuth, bearer, tls,
                external, encoding));
    }

    static Optional<URI> httpUrl(String text) {
        try {
            URI u = new URI(text.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && !u.isOpaque()) {
                return Optional.of(u);
            }
        } catch (URISyntaxException e) {
            // reported by the caller with the expected form
        }
        return Optional.empty();
    }

    private ClientConfig.BackoffConfig backoff(Section b) {
        Duration min = b.duration("min_period", DEFAULT_MIN_BACKOFF);
        Duration max = b.duration("max_period", DEFAULT_MAX_BACKOFF);
        int retries = b.integer("max_retries", DEFAULT_MAX_RETRIES, 0, Integer.MAX_VALUE, "a whole number, 0 or more");
        if (max.compareTo(min) < 0) {
            ctx.error(b.entry("max_period").map(Node.Entry::keyLocation).orElse(b.location()), b.keyPath("max_period"),
                    "expected max_period (" + Units.format(max) + ") to be at least min_period (" + Units.format(min) + ")");
        }
        b.finish(Set.of());
        return new ClientConfig.BackoffConfig(min, max, retries);
    }

    private Optional<ClientConfig.BasicAuth> basicAuth(Section a) {
        Optional<String> user = a.string("username");
        Optional<String> password = a.string("password");
        Optional<Path> passwordFile = a.parsed("password_file", "a file path", PromtailBinder::path);
        if (user.isEmpty()) {
            ctx.error(a.location(), a.keyPath("username"), "expected a username for basic_auth");
        }
        if (password.isPresent() && passwordFile.isPresent()) {
            ctx.error(a.entry("password_file").orElseThrow().keyLocation(), a.keyPath("password_file"),
                    "expected either password or password_file, not both");
        }
        a.finish(Set.of());
        return user.map(u -> new ClientConfig.BasicAuth(u, password, passwordFile));
    }

    private ClientConfig.TlsConfig tls(Section t) {
        Optional<Path> ca = t.parsed("ca_file", "a file path", PromtailBinder::path);
        Optional<Path> cert = t.parsed("cert_file", "a file path", PromtailBinder::path);
        Optional<Path> key = t.parsed("key_file", "a file path", PromtailBinder::path);
        Optional<String> serverName = t.string("server_name");
        boolean insecure = t.bool("insecure_skip_verify", false);
        if (cert.isPresent() != key.isPresent()) {
            ctx.error(t.location(), t.keyPath(cert.isPresent() ? "key_file" : "cert_file"),
                    "expected cert_file and key_file together (a client certificate needs both)");
        }
        t.finish(KnownKeys.TLS_UNSUPPORTED);
        return new ClientConfig.TlsConfig(ca, cert, key, serverName, insecure);
    }

    private List<ScrapeConfig> scrapeConfigs(Section top) {
        List<ScrapeConfig> out = new ArrayList<>();
        Map<String, Node.Location> seen = new HashMap<>();
        List<Node> items = top.list("scrape_configs", "- job_name: system\n    static_configs: [...]");
        for (int i = 0; i < items.size(); i++) {
            Section s = Section.of(ctx, items.get(i), "scrape_configs[" + i + "]", "job_name: system, static_configs: [...]");
            Optional<String> name = s.string("job_name");
            if (name.isEmpty()) {
                ctx.error(s.location(), s.keyPath("job_name"), "expected a job_name naming this scrape config");
            } else {
                Node.Entry e = s.entry("job_name").orElseThrow();
                Node.Location first = seen.putIfAbsent(name.get(), e.value().location());
                if (first != null) {
                    ctx.error(e.value().location(), s.keyPath("job_name"), "expected a unique job_name, but '" + name.get()
                            + "' is already used at line " + first.line());
                }
            }
            List<ScrapeConfig.StaticConfig> statics = new ArrayList<>();
            List<Node> staticItems = s.list("static_configs", "- targets: [localhost]\n      labels: {__path__: /var/log/*log}");
            for (int j = 0; j < staticItems.size(); j++) {
                Section st = Section.of(ctx, staticItems.get(j), s.keyPath("static_configs") + "[" + j + "]",
                        "targets: [localhost], labels: {job: varlogs, __path__: /var/log/*log}");
                staticConfig(st).ifPresent(statics::add);
            }
            List<tailflow.agent.relabel.RelabelRule> relabel = new RelabelBinder(ctx).bind(s);
            Optional<JournalConfig> journal = s.section("journal", JournalBinder.EXAMPLE).map(j -> new JournalBinder(ctx).bind(j));
            List<tailflow.agent.stages.StageSpec> stages = new StagesBinder(ctx).bind(s);
            s.finish(KnownKeys.SCRAPE_UNSUPPORTED);
            name.ifPresent(n -> out.add(new ScrapeConfig(n, statics, relabel, journal, stages)));
        }
        return out;
    }

    private Optional<ScrapeConfig.StaticConfig> staticConfig(Section st) {
        List<String> targets = new ArrayList<>();
        Optional<Node.Entry> targetsEntry = st.entry("targets");
        for (Node t : st.list(targetsEntry, "targets: [localhost]")) {
            if (t instanceof Node.Scalar sc && !sc.isNull()) {
                st.expandedOk(sc, st.keyPath("targets"));
                targets.add(sc.text());
            } else {
                ctx.error(t.location(), st.keyPath("targets"), "expected a target name like localhost, found " + t.describe());
            }
        }
        if (targetsEntry.isEmpty()) {
            ctx.warn(st.location(), st.keyPath("targets"), "missing; Promtail tails nothing without targets, tailflow assumes [localhost]");
            targets.add("localhost");
        }
        Map<String, Section.ScalarEntry> raw = st.scalarMap("labels", "job: varlogs, __path__: /var/log/*log");
        Optional<String> path = Optional.ofNullable(raw.get("__path__")).filter(e -> !e.value().isNull()).map(e -> e.value().text());
        Optional<String> exclude = Optional.ofNullable(raw.get("__path_exclude__")).filter(e -> !e.value().isNull())
                .map(e -> e.value().text());
        for (String key : List.of("__path__", "__path_exclude__")) {
            Section.ScalarEntry e = raw.get(key);
            if (e != null && !e.value().isNull()) {
                try {
                    // the log pipeline's own glob syntax, so what loads here is what it can match
                    tailflow.agent.files.Glob.compile(e.value().text());
                } catch (IllegalArgumentException bad) {
                    ctx.error(e.value().location(), e.path(), "expected a path glob (*, ?, [abc], {a,b}, **): " + bad.getMessage());
                }
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Section.ScalarEntry e : raw.values()) {
            if (e.key().equals("__path__") || e.key().equals("__path_exclude__")) {
                continue;
            }
            if (!LABEL_NAME.matcher(e.key()).matches()) {
                ctx.error(e.keyLocation(), e.path(), "expected a label name made of letters, digits and _ (not starting with a digit)");
            } else if (e.key().startsWith("__")) {
                ctx.warn(e.keyLocation(), e.path(), "ignored: labels starting with __ are internal and not sent");
            } else {
                labels.put(e.key(), e.value().text());
                if (e.key().equals("hostname") && e.value().text().equals("hostname")) {
                    ctx.warn(e.value().location(), e.path(), "is the literal text 'hostname' (the old Ansible role"
                            + " replaced it); write hostname: ${HOSTNAME} for the machine's name");
                }
            }
        }
        boolean labelsMisshaped = st.entry("labels").map(e -> !(e.value() instanceof Node.Mapping)
                && !(e.value() instanceof Node.Scalar sc && sc.isNull())).orElse(false);
        if (path.isEmpty() && !labelsMisshaped) {
            Node.Location at = st.entry("labels").map(Node.Entry::keyLocation).orElse(st.location());
            ctx.error(at, st.keyPath("labels.__path__"), "expected a __path__ label with the files to tail, like __path__: /var/log/*log");
        }
        st.finish(Set.of());
        return path.map(p -> new ScrapeConfig.StaticConfig(targets, labels, p, exclude));
    }

    /** external_labels: names checked (no internal __ names), values as written. */
    private Map<String, String> externalLabels(Section c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Section.ScalarEntry e : c.scalarMap("external_labels", "cluster: lab").values()) {
            if (!LABEL_NAME.matcher(e.key()).matches() || e.key().startsWith("__")) {
                ctx.error(e.keyLocation(), e.path(), "expected a label name made of letters, digits and _ (not starting with a digit or __)");
            } else {
                out.put(e.key(), e.value().text());
            }
        }
        return out;
    }
}
