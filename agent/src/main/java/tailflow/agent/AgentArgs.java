package tailflow.agent;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The agent's command line, parsed by hand: eight options do not need an argument-parsing library,
 * and picocli's reflection over annotations was a sixth of the agent's start-up CPU (172 classes,
 * annotation proxies; /tmp/idle measurements in /work/notes/idle.md). Takes Promtail's single-dash
 * flags ({@code -config.file}) next to GNU-style long ones, each as {@code --opt VALUE} or
 * {@code --opt=VALUE}.
 */
record AgentArgs(Optional<Path> config, Optional<Path> hsflowdConfig, boolean expandEnv, boolean dryRun,
        Optional<Path> sampleLines, boolean printConfigStderr, boolean stdout, boolean help, boolean version) {

    /** A command line the agent cannot run: exit 2 with this message. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static AgentArgs parse(String... args) throws UsageException {
        Path config = null;
        Path hsflowd = null;
        Path sample = null;
        Boolean expandEnv = null;
        boolean dryRun = false;
        boolean printConfig = false;
        boolean stdout = false;
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.startsWith("-") ? arg.indexOf('=') : -1;
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            Optional<String> inline = eq > 0 ? Optional.of(arg.substring(eq + 1)) : Optional.empty();
            boolean takesFile = switch (name) {
                case "--config", "-config.file", "--config.file", "--hsflowd-config", "--sample-lines" -> true;
                default -> false;
            };
            Path file = null;
            if (takesFile) {
                String v = inline.isPresent() ? inline.get() : i + 1 < args.length ? args[i + 1] : null;
                if (v == null || v.isEmpty()) {
                    throw new UsageException(name + " needs a FILE");
                }
                file = Path.of(v);
                if (inline.isEmpty()) {
                    i++;
                }
            }
            switch (name) {
                case "--config", "-config.file", "--config.file" -> config = once(config, name, file);
                case "--hsflowd-config" -> hsflowd = once(hsflowd, name, file);
                case "--sample-lines" -> sample = once(sample, name, file);
                case "-config.expand-env", "--config.expand-env" -> {
                    String v = inline.orElse(null);
                    if (v == null && i + 1 < args.length && (args[i + 1].equals("true") || args[i + 1].equals("false"))) {
                        v = args[++i];
                    }
                    if (v != null && !v.equals("true") && !v.equals("false")) {
                        throw new UsageException(name + " takes true or false, not '" + v + "'");
                    }
                    expandEnv = once(expandEnv, name, v == null || Boolean.parseBoolean(v));
                }
                case "--dry-run", "-dry-run" -> dryRun = flag(name, inline);
                case "--print-config-stderr", "-print-config-stderr" -> printConfig = flag(name, inline);
                case "--stdout" -> stdout = flag(name, inline);
                case "-h", "--help" -> help = flag(name, inline);
                case "-V", "--version" -> version = flag(name, inline);
                default -> throw new UsageException(arg.startsWith("-") ? "unknown option: " + arg
                        : "unexpected argument: " + arg + " (the config is given with --config FILE)");
            }
        }
        return new AgentArgs(Optional.ofNullable(config), Optional.ofNullable(hsflowd), expandEnv == null || expandEnv,
                dryRun, Optional.ofNullable(sample), printConfig, stdout, help, version);
    }

    private static boolean flag(String name, Optional<String> inline) throws UsageException {
        if (inline.isPresent()) {
            throw new UsageException(name + " takes no value");
        }
        return true;
    }

    private static <T> T once(T previous, String name, T value) throws UsageException {
        if (previous != null) {
            throw new UsageException(name + " is given twice");
        }
        return value;
    }
}
