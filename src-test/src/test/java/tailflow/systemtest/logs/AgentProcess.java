package tailflow.systemtest.logs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import tailflow.systemtest.support.Wait;

/**
 * The packaged agent ({@code packaging/bin/agent} over {@code agent/target}) run as a real
 * process for system tests: started with a config file, probed over its HTTP port, stopped with
 * SIGTERM or killed with SIGKILL. Output goes to a log file in the test directory.
 */
public final class AgentProcess implements AutoCloseable {

    private final Path launcher;
    private final Path config;
    private final Path log;
    private final int httpPort;
    private final List<String> extraArgs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    public AgentProcess(Path config, Path log, int httpPort, String... extraArgs) {
        this.launcher = root().resolve("packaging/bin/agent");
        this.config = config;
        this.log = log;
        this.httpPort = httpPort;
        this.extraArgs = List.of(extraArgs);
    }

    /** The checkout root (set by failsafe; the current directory's parent otherwise). */
    public static Path root() {
        String r = System.getProperty("tailflow.root");
        return (r != null ? Path.of(r) : Path.of("..")).toAbsolutePath().normalize();
    }

    /** A log file that outlives the test's temp directory: target/it-logs/NAME.log (replaced per run). */
    public static Path logFile(String name) throws IOException {
        Path dir = Path.of("target", "it-logs").toAbsolutePath();
        Files.createDirectories(dir);
        Path f = dir.resolve(name + ".log");
        Files.deleteIfExists(f);
        return f;
    }


    public int httpPort() {
        return httpPort;
    }

    public synchronized void start() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "--config", config.toString()));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("NOTIFY_SOCKET");
        if (!Boolean.getBoolean("tailflow.bench")) {
            // tests: C1 only starts the JVM faster; the benchmark runs the launcher's flags as they are
            pb.environment().put("TAILFLOW_JAVA_OPTS", "-XX:TieredStopAtLevel=1");
        } else if (System.getenv("TAILFLOW_BENCH_JAVA_OPTS") != null) {
            pb.environment().put("TAILFLOW_JAVA_OPTS", System.getenv("TAILFLOW_BENCH_JAVA_OPTS")); // e.g. a JFR recording
        }
        Files.writeString(log, "=== start " + (++starts) + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        process = pb.start();
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process.pid();
    }

    /** SIGKILL, and wait until the process is gone. */
    public synchronized void kill9() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM; returns the exit code, or -1 if it did not exit within the timeout. */
    public synchronized int terminate(Duration timeout) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return process == null ? -1 : process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return -1;
        }
        return process.exitValue();
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits (bounded) until GET /ready answers 200. */
    public void awaitReady(Duration timeout) throws Exception {
        await(timeout, "agent /ready", () -> {
            if (!alive()) {
                throw new IllegalStateException("agent exited: " + tail());
            }
            try {
                return get("/ready").statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /** Waits for a condition (polled every 50 ms) until the deadline; fails with the agent's threads and log tail. */
    public void await(Duration timeout, String what, BooleanSupplier condition) {
        Wait.upTo(timeout, what).every(Duration.ofMillis(50)).until(condition::getAsBoolean, () -> {
            threadDump();
            return "agent log:\n" + tail();
        });
    }

    /** The sum of every sample of a metric family on /metrics (0 if absent or the agent does not answer). */
    public double metricSum(String family) {
        try {
            return get("/metrics").body().lines().filter(l -> l.startsWith(family + "{") || l.startsWith(family + " "))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Appends the agent's threads to its log (jstack), for a timeout's diagnosis. */
    private void threadDump() {
        if (!alive()) {
            return;
        }
        try {
            Process p = new ProcessBuilder("jstack", Long.toString(pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("no thread dump of the agent: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill9();
    }
}
