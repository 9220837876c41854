package tailflow.provisioner.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tailflow.agent.pipeline.Labels;
import tailflow.provisioner.inventory.InventoryHost;

/**
 * The {@code tailflow_*} variables of one host, validated: everything the rendered agent.yaml
 * and the unit's drop-in depend on. Read before any host is contacted, so a typo stops the run
 * with the host and variable named.
 */
public record AgentSettings(
        List<String> lokiUrls,
        Optional<String> lokiTenant,
        Optional<BasicAuth> lokiBasicAuth,
        List<Collector> sflowCollectors,
        Optional<Integer> sampling,
        Optional<Integer> polling,
        Map<String, String> labels,
        List<String> logPaths,
        Optional<String> heap,
        int httpPort,
        boolean installJava,
        boolean journal) {

    public static final List<String> DEFAULT_LOG_PATHS = List.of("/var/log/*log");
    public static final int DEFAULT_HTTP_PORT = tailflow.agent.layout.InstallLayout.STANDARD.httpPort();
    public static final int DEFAULT_SFLOW_PORT = 6343;

    public record BasicAuth(String username, String password) {}

    public record Collector(String host, int port) {}

    public static AgentSettings of(InventoryHost host) {
        String name = host.name();
        List<String> urls = stringList(host, "tailflow_loki_url");
        if (urls.isEmpty()) {
            throw host.invalid("tailflow_loki_url", "not set; set it (a URL or a list of URLs) "
                    + "in group_vars/all.yml or the inventory's [all:vars]");
        }
        for (String u : urls) {
            if (!u.matches("https?://[^\\s/]+(/\\S*)?")) {
                throw host.invalid("tailflow_loki_url", "'" + u + "' is not an http(s) URL");
            }
        }
        List<Collector> collectors = new ArrayList<>();
        for (String c : stringList(host, "tailflow_sflow_collectors")) {
            collectors.add(collector(host, c));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Object rawLabels = host.vars().get("tailflow_labels");
        if (rawLabels instanceof Map<?, ?> m) {
            m.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        } else if (rawLabels != null) {
            throw host.invalid("tailflow_labels", "must be a map (label: value), got '" + rawLabels + "'");
        }
        for (String label : labels.keySet()) {
            if (!Labels.isValidName(label)) {
                throw host.invalid("tailflow_labels", "'" + label + "' is not a valid Loki label name ([a-zA-Z_][a-zA-Z0-9_]*)");
            }
            if (label.startsWith("__")) {
                throw host.invalid("tailflow_labels", "'" + label + "' starts with __, which Promtail reserves for internal labels");
            }
        }
        List<String> paths = stringList(host, "tailflow_log_paths");
        Optional<String> heap = host.string("tailflow_heap");
        if (heap.isPresent() && !heap.get().matches("\\d+[kKmMgG]?")) {
            throw host.invalid("tailflow_heap", "'" + heap.get() + "' is not a JVM heap size like 64m");
        }
        return new AgentSettings(urls, host.string("tailflow_loki_tenant"), basicAuth(host), collectors,
                positiveInt(host, "tailflow_sampling"), positiveInt(host, "tailflow_polling"), labels,
                paths.isEmpty() ? DEFAULT_LOG_PATHS : paths, heap,
                positiveInt(host, "tailflow_http_port").orElse(DEFAULT_HTTP_PORT),
                host.flag("tailflow_install_java", false), host.flag("tailflow_journal", true));
    }

    private static Optional<BasicAuth> basicAuth(InventoryHost host) {
        Object v = host.vars().get("tailflow_loki_basic_auth");
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Map<?, ?> m && m.get("username") != null) {
            return Optional.of(new BasicAuth(String.valueOf(m.get("username")),
                    m.get("password") == null ? "" : String.valueOf(m.get("password"))));
        }
        String s = String.valueOf(v);
        int colon = s.indexOf(':');
        if (colon <= 0) {
            throw host.invalid("tailflow_loki_basic_auth",
                    "must be 'user:password' or a map with username and password");
        }
        return Optional.of(new BasicAuth(s.substring(0, colon), s.substring(colon + 1)));
    }

    private static Collector collector(InventoryHost host, String spec) {
        String h = spec;
        int port = DEFAULT_SFLOW_PORT;
        int colon = spec.lastIndexOf(':');
        if (colon > 0 && spec.indexOf(':') == colon) {
            h = spec.substring(0, colon);
            try {
                port = Integer.parseInt(spec.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw host.invalid("tailflow_sflow_collectors", "'" + spec + "' has no valid port");
            }
        }
        if (h.isBlank()) {
            throw host.invalid("tailflow_sflow_collectors", "'" + spec + "' has no host");
        }
        return new Collector(h, port);
    }

    static List<String> stringList(InventoryHost host, String key) {
        Object v = host.vars().get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        String s = String.valueOf(v).strip();
        return s.isEmpty() ? List.of() : List.of(s.split("\\s*,\\s*"));
    }

    private static Optional<Integer> positiveInt(InventoryHost host, String key) {
        Object v = host.vars().get(key);
        if (v == null) {
            return Optional.empty();
        }
        try {
            int i = v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v).strip());
            if (i > 0) {
                return Optional.of(i);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw host.invalid(key, "must be a positive integer, got '" + v + "'");
    }
}
