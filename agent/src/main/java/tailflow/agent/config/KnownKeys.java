package tailflow.agent.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keys Promtail and hsflowd document that tailflow accepts but does not act on yet (reported as
 * "not supported yet" warnings), and where each supported key belongs (for "check its
 * indentation" hints when a key turns up one level too high or too low).
 */
final class KnownKeys {
    private KnownKeys() {}

    static final Set<String> TOP_UNSUPPORTED = Set.of(
            "options", "tracing", "global", "wal", "file_watch_config");

    static final Set<String> SERVER_UNSUPPORTED = Set.of(
            "grpc_listen_address", "http_listen_network", "grpc_listen_network", "register_instrumentation",
            "graceful_shutdown_timeout", "http_server_read_timeout", "http_server_write_timeout",
            "http_server_idle_timeout", "http_server_read_header_timeout", "grpc_server_max_recv_msg_size",
            "grpc_server_max_send_msg_size", "grpc_server_max_concurrent_streams", "log_format",
            "log_source_ips_enabled", "log_request_headers", "http_path_prefix", "external_url",
            "health_check_target", "disable", "enable_runtime_reload", "profiling_enabled",
            "http_tls_config", "grpc_tls_config", "tls_cipher_suites", "tls_min_version");

    static final Set<String> POSITIONS_UNSUPPORTED = Set.of("ignore_invalid_yaml");

    static final Set<String> CLIENT_UNSUPPORTED = Set.of(
            "headers", "oauth2", "bearer_token_file", "proxy_url", "no_proxy", "proxy_from_environment",
            "proxy_connect_header", "follow_redirects", "enable_http2", "drop_rate_limited_batches",
            "stream_lag_labels", "name", "authorization");

    static final Set<String> TLS_UNSUPPORTED = Set.of("ca", "cert", "key", "min_version", "max_version");

    static final Set<String> SCRAPE_UNSUPPORTED = Set.of(
            "syslog", "loki_push_api", "windows_events",
            "gcplog", "gelf", "cloudflare", "heroku_drain", "kafka", "azure_event_hubs", "docker_sd_configs",
            "kubernetes_sd_configs", "consul_sd_configs", "consulagent_sd_configs", "file_sd_configs",
            "serverset_sd_configs", "dns_sd_configs", "encoding", "decompression", "limits_config");

    static final Set<String> TARGET_UNSUPPORTED = Set.of("stdin");

    static final Set<String> LIMITS_UNSUPPORTED = Set.of();

    /** hsflowd sections and settings for modules tailflow does not have. */
    static final Set<String> SFLOW_UNSUPPORTED = Set.of(
            "DNS-SD", "dns-sd", "dnsSD", "json", "nflog", "ulog", "psample", "dropmon", "nvml", "xen", "ovs", "kvm",
            "docker", "containerd", "k8s", "systemd", "dbus", "eapi", "sonic", "dent", "os10", "opx", "cumulus",
            "vpp", "sampling.http", "polling.http", "sampling.bps_ratio", "ulogGroup", "nflogGroup",
            "agent.cidr.exclude", "datagram", "sflow_bridge", "mod_tcp");

    static final Set<String> COLLECTOR_UNSUPPORTED = Set.of("namespace", "dev");

    static final Set<String> PCAP_UNSUPPORTED = Set.of("vport");

    private static final Map<String, String> PARENTS = new HashMap<>();

    static {
        for (String k : Set.of("http_listen_address", "http_listen_port", "grpc_listen_port")) {
            PARENTS.put(k, "server");
        }
        PARENTS.put("filename", "positions");
        for (String k : Set.of("url", "tenant_id", "batchwait", "batchsize", "timeout", "backoff_config",
                "basic_auth", "bearer_token", "tls_config", "external_labels")) {
            PARENTS.put(k, "an entry of clients:");
        }
        for (String k : Set.of("job_name", "static_configs", "relabel_configs", "journal", "pipeline_stages")) {
            PARENTS.put(k, "an entry of scrape_configs:");
        }
        for (String k : Set.of("targets", "labels")) {
            PARENTS.put(k, "an entry of static_configs:");
        }
        for (String k : Set.of("__path__", "__path_exclude__", "job", "hostname")) {
            PARENTS.put(k, "labels:");
        }
        for (String k : Set.of("source_labels", "separator", "regex", "modulus", "target_label", "replacement",
                "action")) {
            PARENTS.put(k, "an entry of relabel_configs:");
        }
        for (String k : Set.of("max_age", "json", "path", "matches")) {
            PARENTS.put(k, "journal:");
        }
        for (String k : Set.of("min_period", "max_period", "max_retries")) {
            PARENTS.put(k, "backoff_config:");
        }
        for (String k : Set.of("username", "password", "password_file")) {
            PARENTS.put(k, "basic_auth:");
        }
        for (String k : Set.of("polling", "sampling", "collectors", "collector", "pcap", "tcp", "agent.cidr",
                "header_bytes", "datagram_bytes")) {
            PARENTS.put(k, "sflow:");
        }
        for (String k : Set.of("ip", "udpport")) {
            PARENTS.put(k, "an entry of collectors:");
        }
        for (String k : Set.of("dev", "speed")) {
            PARENTS.put(k, "an entry of pcap:");
        }
    }

    /** Where a supported key belongs, or null when it is nobody's. */
    static String parentOf(String key) {
        return PARENTS.get(key);
    }
}
