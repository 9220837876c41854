package tailflow.systemtest.logs;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tailflow.systemtest.support.FreePort;

/**
 * The logs benchmark's cheap sink: nginx on 127.0.0.1 answering every push with 204 without
 * decoding it (the "HTTP 204 sink"), so the figure is the agent's and not the receiver's.
 * Every request is written to an access log as {@code $msec $request_length $status}: the bench
 * reads the first and last push's times and the request sizes from it. A bench prerequisite
 * (Debian {@code nginx-light}), not needed by tests.
 */
final class NginxSink implements AutoCloseable {

    static final Path NGINX = Path.of("/usr/sbin/nginx");

    /** One request in the access log. */
    record Request(double epochSeconds, long length, int status) {}

    private final Path dir;
    private final Path accessLog;
    private final int port;
    private final Process process;

    static boolean installed() {
        return Files.isExecutable(NGINX);
    }

    NginxSink(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.accessLog = dir.resolve("access.log");
        this.port = FreePort.pick();
        String conf = """
                worker_processes 1;
                daemon off;
                master_process on;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 64; }
                http {
                  log_format bench '$msec $request_length $status';
                  access_log %1$s/access.log bench;
                  client_body_temp_path %1$s/body;
                  client_max_body_size 0;
                  keepalive_requests 1000000;
                  keepalive_timeout 75s;
                  server {
                    listen 127.0.0.1:%2$d;
                    location / { return 204; }
                  }
                }
                """.formatted(dir, port);
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        process = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IOException("nginx did not listen on 127.0.0.1:" + port + ": "
                            + Files.readString(dir.resolve("nginx.out")));
                }
                Thread.sleep(20);
            }
        }
    }

    URI pushUrl() {
        return URI.create("http://127.0.0.1:" + port + "/loki/api/v1/push");
    }

    /** Bytes in the access log so far (grows by one line per push). */
    long accessLogSize() throws IOException {
        return Files.exists(accessLog) ? Files.size(accessLog) : 0;
    }

    List<Request> requests() throws IOException {
        return Files.readAllLines(accessLog).stream().filter(l -> !l.isBlank()).map(l -> {
            String[] f = l.trim().split(" ");
            return new Request(Double.parseDouble(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2]));
        }).toList();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: nginx's fast shutdown, workers included
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

}
