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
import java.util.function.Supplier;
import java.util.logging.Logger;
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
 * The agent's command line ({@link AgentArgs}). Accepts Promtail's single-dash flags
 * ({@code -config.file}, {@code -config.expand-env}, {@code -dry-run}, {@code -print-config-stderr})
 * next to GNU-style long ones, so a Promtail unit's ExecStart line works with only the binary path
 * changed.
 *
 * <p>Exit codes scripts can trust: 0 ok, 1 runtime failure, 2 config or usage error (printed as
 * {@code agent: FILE:LINE:COLUMN: KEY: what was expected}).
 */
public final class AgentMain {

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

    private final Host host;
    private final AgentArgs args;
    private final Optional<Path> config;
    private final Optional<Path> hsflowdConfig;

    private AgentMain(Host host, AgentArgs args) {
        this.host = host;
        this.args = args;
        this.config = args.config();
        this.hsflowdConfig = args.hsflowdConfig();
    }

    public static void main(String[] args) {
        Daemon.installLogging();
        System.exit(run(Host.system(), args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line {@code argv} on {@code host}; returns the exit code. Tests pass their own out/err. */
    public static int run(Host host, String[] argv, PrintWriter out, PrintWriter err) {
        try {
            AgentArgs parsed;
            try {
                parsed = AgentArgs.parse(argv);
            } catch (AgentArgs.UsageException e) {
                err.println("agent: " + e.getMessage() + "; see agent --help");
                return EXIT_CONFIG;
            }
            if (parsed.help()) {
                out.print(AgentUsage.TEXT);
                return EXIT_OK;
            }
            if (parsed.version()) {
                out.println(version());
                return EXIT_OK;
            }
            return new AgentMain(host, parsed).call(out, err);
        } catch (RuntimeException e) {
            e.printStackTrace(err);
            return EXIT_RUNTIME;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int call(PrintWriter out, PrintWriter err) {
        Path sampleLines = args.sampleLines().orElse(null);
        boolean dryRun = args.dryRun();
        if (config.isEmpty() && hsflowdConfig.isEmpty()) {
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
        if (args.printConfigStderr()) {
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
        ConfigLoader loader = new ConfigLoader(host.env(), host.hostname(), args.expandEnv());
        // --stdout prints entries instead of pushing them: a config without clients is fine then
        return (args.stdout() ? loader.withoutRequiredClients() : loader).load(
                config.map(p -> new ConfigLoader.Source(p, "--config")),
                hsflowdConfig.map(p -> new ConfigLoader.Source(p, "--hsflowd-config")));
    }

    /**
     * Runs the pipelines as a daemon (tailflow.agent.ops.systemd): READY=1 to systemd, SIGHUP
     * reloads the same config files, SIGTERM/SIGINT drain and exit 0.
     */
    private int run(AgentConfig loaded, PrintWriter err) {
        RuntimeOptions options = new RuntimeOptions(args.stdout(), System.out, Clock.systemUTC(), host.hostname().get());
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

    static String version() {
        Properties props = new Properties();
        try (InputStream in = AgentMain.class.getResourceAsStream("version.properties")) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "tailflow agent " + props.getProperty("version");
    }
}
