package tailflow.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tailflow.agent.component.RuntimeOptions;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.ConfigError;
import tailflow.agent.config.ConfigException;
import tailflow.agent.config.ConfigLoader;
import tailflow.agent.config.ConfigWarning;
import tailflow.agent.dryrun.DryRun;
import tailflow.agent.dryrun.EffectiveConfig;
import tailflow.agent.ops.systemd.Daemon;

/**
 * The agent's command line. Accepts Promtail's single-dash flags ({@code -config.file},
 * {@code -config.expand-env}, {@code -dry-run}, {@code -print-config-stderr}) next to GNU-style
 * long ones, so a Promtail unit's ExecStart line works with only the binary path changed.
 *
 * <p>Exit codes scripts can trust: 0 ok, 1 runtime failure, 2 config or usage error (printed as
 * {@code agent: FILE:LINE:COLUMN: KEY: what was expected}).
 */
@Command(name = "agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Tails log files into Grafana Loki (Promtail's config) and samples packets into sFlow v5 (hsflowd's config).",
            "",
            "Give an agent.yaml or a Promtail config with --config, an hsflowd.conf with --hsflowd-config, or both.",
            "When both are given, the hsflowd.conf supplies the sflow settings and an sflow: block in the YAML is"
                + " ignored (with a warning).",
            "$${VAR} and $${VAR:-default} in YAML values are expanded (HOSTNAME falls back to the machine's hostname);"
                + " write $$$$ for a literal $$.",
            ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok (for --dry-run: the config is valid)",
            "1:runtime failure",
            "2:config or usage error, printed as FILE:LINE:COLUMN: KEY: what was expected"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  Check a config; show what would be tailed, sampled and sent (starts nothing):",
            "    agent --dry-run --config /etc/tailflow/agent.yaml",
            "  Drop-in for Promtail (the unit's ExecStart line, only the binary changed):",
            "    agent -config.file /etc/promtail/promtail-config.yaml",
            "  Replace Promtail and hsflowd at once, keeping both config files:",
            "    agent --config promtail-config.yaml --hsflowd-config /etc/hsflowd.conf",
            "  Try the log pipeline without Loki (print entries instead of pushing):",
            "    agent --stdout --config configs/agent.yaml",
            "",
            "Migrating: Promtail's keys (server, positions, clients, scrape_configs, static_configs, __path__,"
                + " __path_exclude__) and hsflowd.conf's sflow { } block work as written. Keys tailflow does not"
                + " implement yet (pipeline_stages, relabel_configs, journal, nflog { }, ...) are reported as"
                + " 'not supported yet' warnings; unknown keys are errors. agent.yaml is Promtail's schema plus"
                + " an sflow: block."})
public final class AgentMain implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(AgentMain.class.getName());

    static final int EXIT_OK = 0;
    static final int EXIT_RUNTIME = 1;
    static final int EXIT_CONFIG = 2;

    /**
     * What the agent takes from the machine it runs on, passed in so tests can supply their own.
     *
     * @param env      environment for {@code ${VAR}} expansion
     * @param hostname the machine's hostname, for {@code ${HOSTNAME}} when env lacks it
     * @param sysRoot  the sysfs mount ({@code /sys}), for interface scanning in --dry-run
     */
    public record Host(Map<String, String> env, Supplier<String> hostname, Path sysRoot) {
        public static Host system() {
            return new Host(System.getenv(), RuntimeOptions::localHostname, Path.of("/sys"));
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = {"--config", "-config.file", "--config.file"}, paramLabel = "FILE",
            description = "agent.yaml or Promtail config file (Promtail: -config.file)")
    Path config;

    @Option(names = {"--hsflowd-config"}, paramLabel = "FILE",
            description = "hsflowd.conf; supplies the sflow settings (wins over an sflow: block in --config)")
    Path hsflowdConfig;

    @Option(names = {"-config.expand-env", "--config.expand-env"}, arity = "0..1", paramLabel = "BOOL",
            defaultValue = "true", fallbackValue = "true",
            description = "expand $${VAR} and $${VAR:-default} in the YAML (default: ${DEFAULT-VALUE}; unlike Promtail,"
                    + " on unless =false is given)")
    boolean expandEnv;

    @Option(names = {"--dry-run", "-dry-run"},
            description = "print the effective config, the files each job matches now, the interfaces and rates it"
                    + " would sample, the agent address and collectors; start nothing")
    boolean dryRun;

    @Option(names = "--sample-lines", paramLabel = "FILE",
            description = "with --dry-run: run each file job's pipeline_stages on the lines of FILE and print the"
                    + " entries they make (labels, timestamp, structured metadata, line) and the drops")
    Path sampleLines;

    @Option(names = {"--print-config-stderr", "-print-config-stderr"},
            description = "print the effective config (secrets masked) to stderr, then run")
    boolean printConfigStderr;

    @Option(names = "--stdout", description = "run, but print log entries to stdout instead of pushing them to Loki")
    boolean stdout;

    private final Host host;

    public AgentMain(Host host) {
        this.host = host;
    }

    public static void main(String[] args) {
        Daemon.installLogging();
        System.exit(commandLine(Host.system()).execute(args));
    }

    /** The command line for {@code host}; tests call {@code execute} on it with their own out/err. */
    public static CommandLine commandLine(Host host) {
        return new CommandLine(new AgentMain(host));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (config == null && hsflowdConfig == null) {
            err.println("agent: a config is required: --config FILE (agent.yaml or Promtail's) and/or"
                    + " --hsflowd-config FILE; see agent --help");
            return EXIT_CONFIG;
        }
        AgentConfig loaded;
        try {
            loaded = load();
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println("agent: " + error);
            }
            err.flush();
            return EXIT_CONFIG;
        }
        for (ConfigWarning w : loaded.warnings()) {
            err.println("agent: warning: " + w);
        }
        if (printConfigStderr) {
            err.print(EffectiveConfig.yaml(loaded));
        }
        err.flush();
        if (sampleLines != null && !dryRun) {
            err.println("agent: --sample-lines goes with --dry-run: agent --dry-run --config FILE --sample-lines LINES");
            return EXIT_CONFIG;
        }
        if (dryRun) {
            if (sampleLines != null) {
                try {
                    new tailflow.agent.dryrun.SampleLines(host.hostname(), Clock.systemUTC()).print(loaded, sampleLines, out);
                } catch (java.io.IOException e) {
                    err.println("agent: --sample-lines " + sampleLines + ": cannot read: " + e.getMessage());
                    return EXIT_CONFIG;
                }
            } else {
                new DryRun(host.hostname(), host.sysRoot()).print(loaded, out);
            }
            out.flush();
            return EXIT_OK;
        }
        return run(loaded, err);
    }

    private AgentConfig load() throws ConfigException {
        ConfigLoader loader = new ConfigLoader(host.env(), host.hostname(), expandEnv);
        // --stdout prints entries instead of pushing them: a config without clients is fine then
        return (stdout ? loader.withoutRequiredClients() : loader).load(
                Optional.ofNullable(config).map(p -> new ConfigLoader.Source(p, "--config")),
                Optional.ofNullable(hsflowdConfig).map(p -> new ConfigLoader.Source(p, "--hsflowd-config")));
    }

    /**
     * Runs the pipelines as a daemon (tailflow.agent.ops.systemd): READY=1 to systemd, SIGHUP
     * reloads the same config files, SIGTERM/SIGINT drain and exit 0.
     */
    private int run(AgentConfig loaded, PrintWriter err) {
        RuntimeOptions options = new RuntimeOptions(stdout, System.out, Clock.systemUTC(), host.hostname().get());
        err.flush();
        return Daemon.run(loaded, () -> {
            try {
                AgentConfig reloaded = load();
                reloaded.warnings().forEach(w -> LOG.warning("config warning: " + w));
                return reloaded;
            } catch (ConfigException e) {
                throw new IllegalArgumentException(
                        String.join("; ", e.errors().stream().map(Object::toString).toList()), e);
            }
        }, new RuntimeService(options));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties props = new Properties();
            try (InputStream in = AgentMain.class.getResourceAsStream("version.properties")) {
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"tailflow agent " + props.getProperty("version")};
        }
    }
}
