package tailflow.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Loads the agent's config: an agent.yaml or Promtail file ({@code --config}), an hsflowd.conf
 * ({@code --hsflowd-config}), or both, in which case the hsflowd.conf supplies the sflow settings
 * and the YAML's {@code sflow:} block (if any) is ignored with a warning.
 *
 * <p>The environment and the machine's hostname are passed in (for {@code ${VAR}} expansion), so
 * tests control them; nothing here reads global state.
 */
public final class ConfigLoader {
    /** Config files are small; refusing big ones keeps a mistaken path (a log, /dev/zero) from hanging the agent. */
    static final int MAX_FILE_BYTES = 4 << 20;

    private final Optional<EnvExpander> expander;
    private final boolean clientsRequired;

    /**
     * @param env       the environment for {@code ${VAR}} expansion
     * @param hostname  the machine's hostname, used for {@code ${HOSTNAME}} when env lacks it
     * @param expandEnv false turns expansion off ({@code -config.expand-env=false}): values are taken as written
     */
    public ConfigLoader(Map<String, String> env, Supplier<String> hostname, boolean expandEnv) {
        this(expandEnv ? Optional.of(new EnvExpander(env, hostname)) : Optional.empty(), true);
    }

    private ConfigLoader(Optional<EnvExpander> expander, boolean clientsRequired) {
        this.expander = expander;
        this.clientsRequired = clientsRequired;
    }

    /** For {@code --stdout}, where entries are printed, not pushed: jobs without clients are fine. */
    public ConfigLoader withoutRequiredClients() {
        return new ConfigLoader(expander, false);
    }

    /** A file to read and the command-line flag that named it (the "key" of whole-file errors). */
    public record Source(Path path, String flag) {}

    public AgentConfig load(Optional<Source> yaml, Optional<Source> hsflowd) throws ConfigException {
        if (yaml.isEmpty() && hsflowd.isEmpty()) {
            throw new IllegalArgumentException("no config file given");
        }
        List<ConfigWarning> warnings = new ArrayList<>();
        Optional<SflowConfig> sflow = Optional.empty();
        if (hsflowd.isPresent()) {
            BindContext ctx = new BindContext(hsflowd.get().path().toString());
            sflow = Optional.of(parseHsflowd(ctx, read(hsflowd.get())));
            warnings.addAll(ctx.warnings());
        }
        if (yaml.isEmpty()) {
            AgentConfig d = PromtailBinder.defaults();
            return new AgentConfig(d.server(), d.positions(), d.clients(), d.scrapeConfigs(), d.targetConfig(), d.limits(),
                    sflow, warnings);
        }
        BindContext ctx = new BindContext(yaml.get().path().toString());
        AgentConfig c = parseYaml(ctx, read(yaml.get()), hsflowd.isPresent());
        warnings.addAll(0, ctx.warnings());
        return new AgentConfig(c.server(), c.positions(), c.clients(), c.scrapeConfigs(), c.targetConfig(), c.limits(),
                hsflowd.isPresent() ? sflow : c.sflow(), warnings);
    }

    /** Parses agent.yaml / promtail-config.yaml text; {@code file} names it in messages. */
    public AgentConfig parseYaml(String file, byte[] bytes) throws ConfigException {
        BindContext ctx = new BindContext(file);
        AgentConfig c = parseYaml(ctx, bytes, false);
        return new AgentConfig(c.server(), c.positions(), c.clients(), c.scrapeConfigs(), c.targetConfig(), c.limits(),
                c.sflow(), ctx.warnings());
    }

    /** Parses hsflowd.conf text; warnings are dropped (use {@link #load} to get them). */
    public SflowConfig parseHsflowd(String file, byte[] bytes) throws ConfigException {
        return parseHsflowd(new BindContext(file), bytes);
    }

    private AgentConfig parseYaml(BindContext ctx, byte[] bytes, boolean hasExternalSflow) throws ConfigException {
        Optional<Node> root = new YamlTreeReader(ctx.file(), expander).read(bytes);
        if (root.isEmpty()) {
            throw new ConfigException(new ConfigError(ctx.file(), 1, 1, "clients",
                    "expected a config with clients: and scrape_configs: (and/or sflow:), but the file is empty"));
        }
        AgentConfig config = new PromtailBinder(ctx, clientsRequired).bind(root.get(), hasExternalSflow);
        ctx.throwIfErrors();
        return config;
    }

    private SflowConfig parseHsflowd(BindContext ctx, byte[] bytes) throws ConfigException {
        Optional<Node.Mapping> root = new HsflowdConfReader(ctx.file()).read(bytes);
        if (root.isEmpty()) {
            throw new ConfigException(new ConfigError(ctx.file(), 1, 1, "sflow",
                    "expected sflow { collector { ip=192.0.2.10 udpport=6343 } ... }, but the file has no settings"));
        }
        Optional<Node.Entry> sflow = Optional.ofNullable(root.get().entries().get("sflow"));
        for (Node.Entry e : root.get().entries().values()) {
            if (!e.key().equals("sflow")) {
                ctx.error(e.keyLocation(), e.key(), "expected every setting inside sflow { ... }");
            }
        }
        SflowConfig config = null;
        if (sflow.isEmpty()) {
            ctx.error(root.get().location(), "sflow", "expected an sflow { ... } section");
        } else if (!(sflow.get().value() instanceof Node.Mapping)) {
            ctx.error(sflow.get().value().location(), "sflow", "expected a section: sflow { ... }");
        } else {
            config = new SflowBinder(ctx).bind(Section.of(ctx, sflow.get().value(), "sflow", "sflow { ... }",
                    sflow.get().keyLocation()));
        }
        ctx.throwIfErrors();
        return config;
    }

    private static byte[] read(Source source) throws ConfigException {
        String file = source.path().toString();
        if (Files.isDirectory(source.path())) {
            throw whole(file, source.flag(), "expected a config file, found a directory");
        }
        try (InputStream in = Files.newInputStream(source.path())) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw whole(file, source.flag(), "expected a config file, found more than " + (MAX_FILE_BYTES >> 20) + " MiB");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            boolean dangling = Files.isSymbolicLink(source.path());
            throw whole(file, source.flag(), dangling ? "cannot read the file: it is a symbolic link to a missing file"
                    : "cannot read the file: no such file");
        } catch (AccessDeniedException e) {
            throw whole(file, source.flag(), "cannot read the file: permission denied");
        } catch (IOException e) {
            throw whole(file, source.flag(), "cannot read the file: " + e.getMessage());
        }
    }

    private static ConfigException whole(String file, String flag, String message) {
        return new ConfigException(new ConfigError(file, 1, 1, flag, message));
    }
}
