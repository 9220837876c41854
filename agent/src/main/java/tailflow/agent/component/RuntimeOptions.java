package tailflow.agent.component;

import java.io.PrintStream;
import java.time.Clock;

/**
 * How the runtime runs, beyond the config file: set by AgentMain from the command line.
 *
 * @param stdout   {@code --stdout}: run the log pipeline for real but print entries to
 *                 {@code out} instead of pushing them to Loki (positions are still kept)
 * @param out      where {@code --stdout} prints
 * @param clock    wall clock for timestamps and batching; tests pass a fixed or stepping one
 * @param hostname the value of the {@code hostname} label when a job does not set one
 */
public record RuntimeOptions(boolean stdout, PrintStream out, Clock clock, String hostname) {

    /** The options of a normal run: push to Loki, system clock, this machine's hostname. */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(false, System.out, Clock.systemUTC(), localHostname());
    }

    public RuntimeOptions withStdout(boolean value) {
        return new RuntimeOptions(value, out, clock, hostname);
    }

    public static String localHostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")).trim();
        } catch (java.io.IOException e) {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException u) {
                return "localhost";
            }
        }
    }
}
