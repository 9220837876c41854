package tailflow.agent.dryrun;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.ClientConfig;
import tailflow.agent.config.ScrapeConfig;
import tailflow.agent.config.SflowConfig;
import tailflow.agent.journal.JournalAccess;
import tailflow.agent.journal.JournalDryRun;
import tailflow.agent.journal.JournalJob;
import tailflow.agent.pipeline.Labels;
import tailflow.agent.positions.PositionsFile;
import tailflow.agent.relabel.Relabeler;
import tailflow.agent.logs.BinaryContent;
import tailflow.agent.logs.FileDiscovery;
import tailflow.agent.logs.LogsPipeline;
import tailflow.agent.sflow.AgentAddress;
import tailflow.agent.sflow.InterfaceScanner;
import tailflow.agent.sflow.NetInterface;
import tailflow.agent.sflow.SamplingPlan;

/**
 * {@code agent --dry-run}: prints, as one YAML document, what the agent would do with a config
 * right now without starting anything: the effective config, the machine, the files each job's
 * globs match (and exclude), the interfaces and rates it would sample, the agent address and the
 * collectors. File discovery and the sampling plan are the pipelines' own code, so the dry run
 * cannot disagree with a real run.
 */
public final class DryRun {
    private final Supplier<String> hostname;
    private final Path sysRoot;
    private final InterfaceScanner.AddressSource addresses;

    /** @param sysRoot the sysfs mount ({@code /sys}; a temp dir in tests) */
    public DryRun(Supplier<String> hostname, Path sysRoot) {
        this(hostname, sysRoot, InterfaceScanner.AddressSource.system());
    }

    public DryRun(Supplier<String> hostname, Path sysRoot, InterfaceScanner.AddressSource addresses) {
        this.hostname = hostname;
        this.sysRoot = sysRoot;
        this.addresses = addresses;
    }

    public void print(AgentConfig config, PrintWriter out) {
        try {
            out.println("# agent --dry-run: what the agent would do now; nothing was started");
            out.print(EffectiveConfig.mapper().writeValueAsString(report(config)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps always serialize", e);
        }
    }

    /** The report as ordered maps and lists, for tests and for printing. */
    public Map<String, Object> report(AgentConfig config) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("config", EffectiveConfig.tree(config));
        root.put("host", machine());
        root.put("logs", logs(config));
        root.put("sflow", config.sflow().<Object>map(this::sflow)
                .orElse("off (no sflow: block in --config and no --hsflowd-config)"));
        return root;
    }

    private Map<String, Object> machine() {
        // Libraries first: the first use of JNA is the one whose failure says why (see NativeLibraries).
        Map<String, String> libraries = NativeLibraries.status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostname", hostname.get());
        m.put("machine", Machine.arch());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("libraries", libraries);
        return m;
    }

    private Object logs(AgentConfig config) {
        if (config.scrapeConfigs().isEmpty()) {
            return "off (no scrape_configs)";
        }
        List<Object> jobs = new ArrayList<>();
        for (ScrapeConfig job : config.scrapeConfigs()) {
            for (ScrapeConfig.StaticConfig st : job.staticConfigs()) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("job_name", job.jobName());
                Map<String, Map<String, String>> byClient = new LinkedHashMap<>();
                for (ClientConfig client : config.clients()) {
                    byClient.put(client.url().toString(), labels(client.externalLabels(), st, job));
                }
                if (new java.util.HashSet<>(byClient.values()).size() <= 1) {
                    j.put("labels", byClient.values().stream().findFirst().orElse(labels(Map.of(), st, job)));
                } else {
                    j.put("labels_by_client", byClient);
                }
                j.put("path", st.pathGlob());
                st.pathExcludeGlob().ifPresent(x -> j.put("path_exclude", x));
                try {
                    FileDiscovery.Result found = FileDiscovery.scan(st.pathGlob(), st.pathExcludeGlob());
                    List<String> files = new ArrayList<>();
                    List<String> skipped = new ArrayList<>();
                    for (Path f : found.matched()) {
                        BinaryContent.check(f).ifPresentOrElse(why -> skipped.add(f + ": skipped, " + why),
                                () -> files.add(f.toString()));
                    }
                    j.put("files", files);
                    if (!skipped.isEmpty()) {
                        j.put("skipped", skipped);
                    }
                    j.put("excluded", found.excluded().stream().map(Path::toString).toList());
                    if (!found.unreadable().isEmpty()) {
                        j.put("unreadable", found.unreadable().stream().map(u -> u.path() + ": " + u.reason()).toList());
                    }
                } catch (IllegalArgumentException e) {
                    j.put("files", "cannot match: " + e.getMessage());
                }
                jobs.add(j);
            }
            job.journal().ifPresent(jc -> jobs.add(new JournalDryRun(JournalAccess.ofThisProcess(), nowMicros())
                    .report(job.jobName(), jc, savedCursor(config, job.jobName()), new Relabeler(job.relabelConfigs()))));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobs", jobs);
        m.put("push_to", config.clients().stream().map(ClientConfig::url).map(Object::toString).toList());
        m.put("positions", config.positions().filename().toString());
        return m;
    }

    /**
     * The labels every stream of a static config carries, by the log pipeline's rule
     * (tailflow.agent.logs.LogsPipeline): the client's external_labels, then hostname (the
     * machine's) unless set, then the job's labels, then its relabel_configs (with {@code __path__}),
     * then filename per file. A target the rules drop shows as {@code dropped_by_relabel_configs}.
     */
    private Map<String, String> labels(Map<String, String> external, ScrapeConfig.StaticConfig st, ScrapeConfig job) {
        Map<String, String> labels = new TreeMap<>(external);
        labels.putIfAbsent("hostname", hostname.get());
        labels.putAll(st.labels());
        if (!job.relabelConfigs().isEmpty()) {
            labels.put("__path__", st.pathGlob());
            Optional<Labels> relabelled = new Relabeler(job.relabelConfigs()).apply(Labels.of(labels));
            if (relabelled.isEmpty()) {
                return Map.of("dropped_by_relabel_configs", "true");
            }
            labels = new TreeMap<>(relabelled.get().withoutInternal().asMap());
        }
        labels.put("filename", "<path of each file>");
        return labels;
    }

    private static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /**
     * The journal job's cursor in the first client's section of the positions file (the one a
     * real run of that client would start from), or Promtail's, if any.
     */
    private static Optional<String> savedCursor(AgentConfig config, String jobName) {
        PositionsFile positions = new PositionsFile(config.positions().filename());
        try {
            if (!config.clients().isEmpty()) {
                var p = positions.journal(LogsPipeline.clientKey(config.clients().get(0))).get(JournalJob.positionKey(jobName));
                if (p != null) {
                    return Optional.of(p.cursor());
                }
            }
            return Optional.ofNullable(positions.promtail().get(JournalJob.positionKey(jobName)));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private Map<String, Object> sflow(SflowConfig s) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<NetInterface> interfaces;
        try {
            interfaces = new InterfaceScanner(sysRoot, addresses).scan();
        } catch (IOException e) {
            m.put("interfaces", "cannot list interfaces under " + sysRoot.resolve("class/net") + ": " + e);
            interfaces = List.of();
        }
        Optional<AgentAddress> agent = AgentAddress.choose(s, interfaces);
        m.put("agent_address", agent.<Object>map(a -> EffectiveConfig.map("address", a.address().getHostAddress(),
                "interface", a.ifName(), "why", a.why())).orElse("none: no interface has a usable address"));
        m.put("collectors", s.collectors().stream().map(c -> c.host() + ":" + c.udpPort()).toList());
        m.put("polling", s.pollingSeconds() + "s");
        if (!m.containsKey("interfaces")) {
            SamplingPlan plan = SamplingPlan.resolve(s, interfaces);
            List<Object> sampled = new ArrayList<>();
            for (SamplingPlan.Entry e : plan.entries()) {
                Map<String, Object> i = new LinkedHashMap<>();
                i.put("name", e.iface().name());
                i.put("speed", e.iface().speedKnown() ? SamplingPlan.formatSpeed(e.iface().speedBps()) : "unknown");
                i.put("sampling", e.samplingRate());
                i.put("why", e.why());
                i.put("promisc", e.promiscuous());
                i.put("addresses", e.iface().addresses().stream().map(InetAddress::getHostAddress).toList());
                sampled.add(i);
            }
            m.put("interfaces", sampled);
            List<String> skipped = new ArrayList<>();
            for (NetInterface i : interfaces) {
                if (plan.find(i.name()).isEmpty()) {
                    skipped.add(i.name() + (i.speedKnown() ? " (" + SamplingPlan.formatSpeed(i.speedBps()) + ", no pcap entry selects it)"
                            : " (link speed unknown: only pcap { dev=" + i.name() + " } selects it)"));
                }
            }
            m.put("not_sampled", skipped);
            if (!plan.missingDevices().isEmpty()) {
                m.put("missing_devices", plan.missingDevices());
            }
        }
        m.put("tcp", s.tcp());
        return m;
    }
}
