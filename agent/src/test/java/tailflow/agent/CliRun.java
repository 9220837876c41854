package tailflow.agent;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs the agent's command line in-process with captured output, as a script would see it. */
public record CliRun(int exit, String out, String err) {

    public static final String TEST_HOSTNAME = "testhost";

    /** A host with an empty environment, hostname {@value #TEST_HOSTNAME} and the given sysfs root. */
    public static AgentMain.Host host(Map<String, String> env, Path sysRoot) {
        return new AgentMain.Host(env, () -> TEST_HOSTNAME, sysRoot);
    }

    public static CliRun run(AgentMain.Host host, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = AgentMain.run(host, args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(exit, out.toString(), err.toString());
    }
}
