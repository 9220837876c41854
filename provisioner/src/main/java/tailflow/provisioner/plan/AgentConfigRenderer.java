package tailflow.provisioner.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tailflow.agent.layout.InstallLayout;

/**
 * Renders a host's {@code /etc/tailflow/agent.yaml}: Promtail's schema (server, positions,
 * clients, scrape_configs) plus an {@code sflow:} block, with the host's real hostname as the
 * {@code hostname} label (what the lab's role did with sed). Output is deterministic, so the
 * same settings give byte-identical files and a re-apply sees no change.
 */
public final class AgentConfigRenderer {

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

    public String render(AgentSettings s, String hostname) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("server", map("http_listen_port", s.httpPort(), "grpc_listen_port", 0));
        doc.put("positions", map("filename", InstallLayout.STANDARD.positionsFile()));
        List<Object> clients = new ArrayList<>();
        for (String url : s.lokiUrls()) {
            Map<String, Object> client = map("url", url);
            s.lokiTenant().ifPresent(t -> client.put("tenant_id", t));
            s.lokiBasicAuth().ifPresent(a -> client.put("basic_auth", map("username", a.username(), "password", a.password())));
            clients.add(client);
        }
        doc.put("clients", clients);
        List<Object> statics = new ArrayList<>();
        for (String path : s.logPaths()) {
            Map<String, Object> labels = map("job", "varlogs", "hostname", hostname);
            labels.putAll(s.labels());
            labels.put("__path__", path);
            statics.add(map("targets", List.of("localhost"), "labels", labels));
        }
        List<Object> jobs = new ArrayList<>(List.of(map("job_name", "system", "static_configs", statics)));
        if (s.journal()) {
            jobs.add(journalJob(s, hostname));
        }
        doc.put("scrape_configs", jobs);
        if (!s.sflowCollectors().isEmpty()) {
            Map<String, Object> sflow = new LinkedHashMap<>();
            s.polling().ifPresent(p -> sflow.put("polling", p));
            s.sampling().ifPresent(p -> sflow.put("sampling", p));
            List<Object> collectors = new ArrayList<>();
            s.sflowCollectors().forEach(c -> collectors.add(map("ip", c.host(), "udpport", c.port())));
            sflow.put("collectors", collectors);
            // as the lab's hsflowd.conf: every interface with a known link speed
            sflow.put("pcap", List.of(map("speed", "1-")));
            doc.put("sflow", sflow);
        }
        try {
            return "# Written by the tailflow provisioner; local edits are replaced on the next apply.\n"
                    + yaml.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * tailflow_journal (default true): the system journal with Promtail's example labels plus
     * {@code level} from the priority keyword (sshd, sudo, the kernel and every unit log only there
     * on Debian 12).
     */
    private static Map<String, Object> journalJob(AgentSettings s, String hostname) {
        Map<String, Object> labels = map("job", "systemd-journal", "hostname", hostname);
        labels.putAll(s.labels());
        return map("job_name", "journal",
                "journal", map("labels", labels),
                "relabel_configs", List.of(
                        map("source_labels", List.of("__journal__systemd_unit"), "target_label", "unit"),
                        map("source_labels", List.of("__journal_priority_keyword"), "target_label", "level")));
    }

    /** The unit drop-in for settings the launcher reads from the environment, or empty when none is needed. */
    public String renderDropIn(AgentSettings s) {
        if (s.heap().isEmpty()) {
            return "";
        }
        return "# Written by the tailflow provisioner (tailflow_heap).\n[Service]\nEnvironment=TAILFLOW_HEAP="
                + s.heap().get() + "\n";
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
