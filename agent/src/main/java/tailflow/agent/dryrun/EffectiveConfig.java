package tailflow.agent.dryrun;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.ClientConfig;
import tailflow.agent.config.ScrapeConfig;
import tailflow.agent.config.Secrets;
import tailflow.agent.config.SflowConfig;
import tailflow.agent.config.Units;
import tailflow.agent.sflow.SamplingPlan;

/**
 * The effective config written back in the input's own schema (Promtail's keys plus the sflow
 * block), every default filled in and secrets replaced by {@link Secrets#MASK}, as Promtail's
 * {@code -print-config-stderr} does. Without secrets, the output loads back to the same config.
 */
public final class EffectiveConfig {
    private EffectiveConfig() {}

    static YAMLMapper mapper() {
        return new YAMLMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build());
    }

    public static String yaml(AgentConfig config) {
        try {
            return mapper().writeValueAsString(tree(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps always serialize", e);
        }
    }

    /** The config as ordered maps and lists of strings, numbers and booleans. */
    public static Map<String, Object> tree(AgentConfig c) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("server", map("http_listen_address", c.server().httpListenAddress(),
                "http_listen_port", c.server().httpListenPort(), "grpc_listen_port", c.server().grpcListenPort()));
        root.put("positions", map("filename", c.positions().filename().toString(),
                "sync_period", Units.format(c.positions().syncPeriod())));
        root.put("clients", c.clients().stream().map(EffectiveConfig::client).toList());
        root.put("scrape_configs", c.scrapeConfigs().stream().map(EffectiveConfig::scrape).toList());
        root.put("target_config", map("sync_period", Units.format(c.targetConfig().syncPeriod())));
        root.put("limits_config", map("max_line_size", c.limits().clientMaxLineSize(), // Promtail's: 0 is none
                "max_line_size_truncate", c.limits().maxLineSizeTruncate(), "max_streams", c.limits().maxStreams(),
                "partial_line_wait", Units.format(c.limits().partialLineWait())));
        c.sflow().ifPresent(s -> root.put("sflow", sflow(s)));
        return root;
    }

    private static Map<String, Object> client(ClientConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", c.url().toString());
        c.tenantId().ifPresent(t -> m.put("tenant_id", t));
        m.put("batchwait", duration(c.batchWait()));
        m.put("batchsize", c.batchSizeBytes());
        m.put("timeout", duration(c.timeout()));
        m.put("backoff_config", map("min_period", duration(c.backoff().minPeriod()),
                "max_period", duration(c.backoff().maxPeriod()), "max_retries", c.backoff().maxRetries()));
        c.basicAuth().ifPresent(a -> {
            Map<String, Object> auth = new LinkedHashMap<>();
            auth.put("username", a.username());
            a.password().ifPresent(p -> auth.put("password", Secrets.MASK));
            a.passwordFile().ifPresent(f -> auth.put("password_file", f.toString()));
            m.put("basic_auth", auth);
        });
        c.bearerToken().ifPresent(t -> m.put("bearer_token", Secrets.MASK));
        c.tls().ifPresent(t -> {
            Map<String, Object> tls = new LinkedHashMap<>();
            t.caFile().ifPresent(f -> tls.put("ca_file", f.toString()));
            t.certFile().ifPresent(f -> tls.put("cert_file", f.toString()));
            t.keyFile().ifPresent(f -> tls.put("key_file", f.toString()));
            t.serverName().ifPresent(n -> tls.put("server_name", n));
            tls.put("insecure_skip_verify", t.insecureSkipVerify());
            m.put("tls_config", tls);
        });
        if (!c.externalLabels().isEmpty()) {
            m.put("external_labels", new java.util.TreeMap<>(c.externalLabels()));
        }
        m.put("encoding", c.encoding().name().toLowerCase(java.util.Locale.ROOT));
        return m;
    }

    private static Map<String, Object> scrape(ScrapeConfig s) {
        List<Object> statics = new ArrayList<>();
        for (ScrapeConfig.StaticConfig st : s.staticConfigs()) {
            Map<String, Object> labels = new LinkedHashMap<>(new java.util.TreeMap<>(st.labels()));
            labels.put("__path__", st.pathGlob());
            st.pathExcludeGlob().ifPresent(x -> labels.put("__path_exclude__", x));
            statics.add(map("targets", st.targets(), "labels", labels));
        }
        return map("job_name", s.jobName(), "static_configs", statics);
    }

    private static Map<String, Object> sflow(SflowConfig s) {
        Map<String, Object> m = new LinkedHashMap<>();
        s.agentCidr().ifPresent(x -> m.put("agent.cidr", x));
        s.agentInterface().ifPresent(x -> m.put("agent", x));
        m.put("polling", s.pollingSeconds());
        m.put("sampling", s.sampling());
        new java.util.TreeMap<>(s.samplingBySpeed()).forEach((speed, n) -> m.put("sampling." + SamplingPlan.formatSpeed(speed), n));
        m.put("header_bytes", s.headerBytes());
        m.put("datagram_bytes", s.datagramBytes());
        m.put("collectors", s.collectors().stream().map(c -> map("ip", c.host(), "udpport", c.udpPort())).toList());
        List<Object> pcaps = new ArrayList<>();
        for (SflowConfig.PcapSource p : s.pcaps()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            p.dev().ifPresent(d -> pm.put("dev", d));
            p.speed().ifPresent(r -> pm.put("speed", speedRange(r)));
            p.sampling().ifPresent(n -> pm.put("sampling", n));
            pm.put("promisc", p.promiscuous());
            pcaps.add(pm);
        }
        m.put("pcap", pcaps);
        m.put("tcp", s.tcp());
        return m;
    }

    /** hsflowd's syntax: "1-" (1 bit/s and up), "1G-10G", or "10G" for exactly one speed. */
    static String speedRange(SflowConfig.SpeedRange r) {
        String min = r.min() == 0 ? "" : SamplingPlan.formatSpeed(r.min());
        if (r.min() == r.max()) {
            return min;
        }
        return min + "-" + (r.max() == Long.MAX_VALUE ? "" : SamplingPlan.formatSpeed(r.max()));
    }

    private static String duration(Duration d) {
        return Units.format(d);
    }

    /** An ordered map from alternating keys and values. */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
