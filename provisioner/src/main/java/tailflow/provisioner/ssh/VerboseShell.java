package tailflow.provisioner.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code -v}/{@code -vv}: a {@link RemoteShell} that shows what runs on a host and what it says,
 * each line prefixed with the host. {@code -v}: the script's first line and its size, then its
 * output as it arrives; {@code -vv}: the whole script as well (file contents sent as base64 are
 * elided: they may hold secrets). Lines of parallel hosts never interleave mid-line.
 */
public final class VerboseShell implements RemoteShell {

    private static final Pattern HEREDOC = Pattern.compile("(<<'TAILFLOW_EOF'[^\\n]*\\n)(?s:.*?)(\\nTAILFLOW_EOF\\n)");

    private final RemoteShell shell;
    private final String host;
    private final int level;
    private final PrintStream out;

    public VerboseShell(RemoteShell shell, String host, int level, PrintStream out) {
        this.shell = shell;
        this.host = host;
        this.level = level;
        this.out = out;
    }

    /** Wraps every shell {@code opener} opens when {@code level} > 0. */
    public static RemoteShell.Opener wrap(RemoteShell.Opener opener, int level, PrintStream out) {
        if (level <= 0) {
            return opener;
        }
        return target -> new VerboseShell(opener.open(target), target.name(), level, out);
    }

    @Override
    public ExecResult runAsRoot(String script, InputStream stdin, Duration timeout, Consumer<String> lines) throws IOException {
        String body = script.strip();
        if (level >= 2) {
            print("$ sh -c <<'SCRIPT'\n" + HEREDOC.matcher(body).replaceAll("$1<base64 elided>$2") + "\nSCRIPT");
        } else {
            String meaningful = body.lines().filter(l -> !l.startsWith("set -u") && !l.startsWith("exec 3<&0")
                    && !l.startsWith("export ") && !l.contains("() {")).findFirst().orElse("");
            print("$ sh -c '" + meaningful + (body.lines().count() > 1 ? " ...' (" + body.lines().count() + " lines)" : "'"));
        }
        ExecResult r = shell.runAsRoot(script, stdin, timeout, line -> {
            print("| " + line);
            lines.accept(line);
        });
        r.stderr().lines().forEach(l -> print("! " + l));
        print("exit " + r.exitCode());
        return r;
    }

    private void print(String text) {
        synchronized (out) {
            text.lines().forEach(l -> out.println("[" + host + "] " + l));
            out.flush();
        }
    }

    @Override
    public void close() {
        shell.close();
    }
}
