package tailflow.agent.loki;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import tailflow.agent.component.Health;
import tailflow.agent.component.Heartbeat;
import tailflow.agent.config.ClientConfig;
import tailflow.agent.ops.metrics.Metrics;

/**
 * Delivers batches to one Loki: encode, push, and act on the answer.
 *
 * <ul>
 *   <li>2xx: acknowledged.</li>
 *   <li>400: rejected for good (Loki's validation); Loki's message is logged, the lines are
 *       counted in {@code tailflow_dropped_entries_total{reason="rejected"}}, and the batch
 *       counts as delivered so positions move on.</li>
 *   <li>401, 403, 404: a configuration error (credentials, tenant, URL), not a property of the
 *       lines: retried with backoff like any failure, so nothing is lost once the config is fixed,
 *       but logged as an error with Loki's answer at most once a minute, counted in
 *       {@code tailflow_push_config_errors_total{host,status_code}} and named by {@code /ready}.</li>
 *   <li>429, other 4xx, 5xx, no answer (refused, timeout, reset): retried forever with
 *       exponential backoff and jitter. While this method retries, the reader has no free
 *       batch and stops reading, so memory stays bounded and the files are the buffer.</li>
 *   <li>A 500 that repeats for the same part is taken for Loki's "message larger than max"
 *       (seen with Loki 3.4) or a line it chokes on: the part is split in halves, down to
 *       single entries.</li>
 * </ul>
 */
public final class LokiSink implements BatchSink {

    private static final Logger LOG = Logger.getLogger(LokiSink.class.getName());
    static final double[] DURATION_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    /** How often a configuration error (401/403/404) is logged while it lasts. */
    static final long CONFIG_ERROR_LOG_NANOS = Duration.ofMinutes(1).toNanos();

    /** Sleeps between retries; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /**
     * Something that answers a push (the real HTTP client, or a test double); {@code tenant} is
     * the batch's tenant for {@code X-Scope-OrgID}, null for the client's own {@code tenant_id}.
     */
    @FunctionalInterface
    public interface Transport {
        LokiHttp.Answer post(byte[] body, int length, String contentType, String contentEncoding, String tenant)
                throws InterruptedException;
    }

    private final Transport transport;
    private final ClientConfig.PushEncoding encoding;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;
    private final String host;
    private final Metrics.Counter sentEntries;
    private final Metrics.Counter sentBytes;
    private final Metrics.Counter dropped;
    private final Metrics.Counter retries;
    private final Metrics.Histogram duration;
    private final Metrics.Counter configErrors;
    private final Health health;
    /** The sending thread's sign of life for the watchdog: beats per push, idle between batches. */
    private final Heartbeat heartbeat;
    private final String problemSource;
    private boolean configErrorReported;
    private boolean configErrorLogged;
    private long configErrorLoggedAt;
    private final PushEncoder protobuf = new PushEncoder();
    private final JsonEncoder json = new JsonEncoder();
    private volatile boolean healthy = true;

    public LokiSink(Transport transport, ClientConfig.PushEncoding encoding, Backoff backoff, Sleeper sleeper,
            LongSupplier nanoTime, String host, Metrics metrics, Health health, Duration pushTimeout) {
        this.transport = transport;
        this.encoding = encoding;
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
        this.host = host;
        this.health = health;
        this.problemSource = "loki " + host;
        // a push may take the connect timeout plus the request timeout; a thread silent for longer is wedged
        this.heartbeat = health.heartbeat("logs-sender-" + host, pushTimeout.multipliedBy(2).plusSeconds(30));
        heartbeat.idle();
        this.sentEntries = metrics.counter("tailflow_sent_entries_total", "Number of log entries sent to Loki.", "host");
        this.sentBytes = metrics.counter("tailflow_sent_bytes_total", "Number of bytes of log lines sent to Loki.", "host");
        this.dropped = metrics.counter("tailflow_dropped_entries_total",
                "Number of log entries dropped because Loki rejected them for good.", "host", "reason");
        this.retries = metrics.counter("tailflow_batch_retries_total", "Number of times a push was retried.", "host");
        this.duration = metrics.histogram("tailflow_request_duration_seconds", "Duration of push requests to Loki.",
                DURATION_BUCKETS, "host", "status_code");
        this.configErrors = metrics.counter("tailflow_push_config_errors_total",
                "Number of pushes Loki refused as misconfigured (401, 403, 404); they are retried.", "host", "status_code");
        sentEntries.labels(host);
        retries.labels(host);
    }

    @Override
    public boolean healthy() {
        return healthy;
    }

    @Override
    public void deliver(Batch batch) throws InterruptedException {
        try {
            List<String> tenants = batch.tenants();
            if (tenants.size() <= 1) {
                deliverParts(batch, tenants.isEmpty() ? null : tenants.get(0), false);
            } else {
                // one request per tenant, in the order the tenants first appeared (Promtail: one batch each)
                for (String tenant : new java.util.ArrayList<>(tenants)) {
                    deliverParts(batch, tenant, true);
                }
            }
        } finally {
            heartbeat.idle(); // the sender now waits for the next batch
        }
    }

    private void deliverParts(Batch batch, String tenant, boolean oneTenant) throws InterruptedException {
        Deque<int[]> parts = new ArrayDeque<>();
        parts.add(new int[] {0, batch.entries()});
        int repeated500 = 0;
        while (!parts.isEmpty()) {
            int[] part = parts.peekFirst();
            heartbeat.beat();
            long started = nanoTime.getAsLong();
            LokiHttp.Answer answer = push(batch, part[0], part[1], tenant, oneTenant);
            duration.observe((nanoTime.getAsLong() - started) / 1e9, host, Integer.toString(answer.status()));
            if (answer.ok()) {
                long bytes = 0;
                for (int e = part[0]; e < part[1]; e++) {
                    if (ofTenant(batch, e, tenant, oneTenant)) {
                        bytes += batch.lineLength(e);
                    }
                }
                sentEntries.inc(count(batch, part[0], part[1], tenant, oneTenant), host);
                sentBytes.inc(bytes, host);
                parts.removeFirst();
                backoff.reset();
                repeated500 = 0;
                healthy = true;
                if (configErrorReported) {
                    configErrorReported = false;
                    configErrorLogged = false;
                    health.resolved(problemSource);
                    LOG.info("Loki " + host + " accepts pushes again");
                }
                continue;
            }
            if (answer.status() == 400) {
                int count = count(batch, part[0], part[1], tenant, oneTenant);
                LOG.warning("Loki " + host + " rejected " + count + " entries for good (400): " + answer.message());
                dropped.inc(count, host, "rejected");
                parts.removeFirst();
                backoff.reset();
                repeated500 = 0;
                continue;
            }
            healthy = false;
            retries.inc(1, host);
            if (answer.status() == 500 && ++repeated500 >= 2 && part[1] - part[0] > 1) {
                int mid = part[0] + (part[1] - part[0]) / 2;
                LOG.warning("Loki " + host + " answered 500 twice to the same push; splitting it ("
                        + (part[1] - part[0]) + " entries): " + answer.message());
                parts.removeFirst();
                parts.addFirst(new int[] {mid, part[1]});
                parts.addFirst(new int[] {part[0], mid});
                repeated500 = 0;
                continue;
            }
            Duration wait = backoff.next();
            if (isConfigError(answer.status())) {
                reportConfigError(answer, wait);
                pause(wait);
                continue;
            }
            LOG.warning("push to Loki " + host + " failed (" + (answer.status() < 0 ? "no answer" : "HTTP " + answer.status())
                    + ": " + answer.message() + "); retry " + backoff.attempts() + " in " + wait.toMillis() + " ms");
            pause(wait);
        }
    }

    private static boolean ofTenant(Batch batch, int entry, String tenant, boolean oneTenant) {
        return !oneTenant || Objects.equals(batch.streamTenant(batch.streamOf(entry)), tenant);
    }

    /** Entries of [from, to) that a push of {@code tenant} carries. */
    private static int count(Batch batch, int from, int to, String tenant, boolean oneTenant) {
        if (!oneTenant) {
            return to - from;
        }
        int n = 0;
        for (int e = from; e < to; e++) {
            n += ofTenant(batch, e, tenant, oneTenant) ? 1 : 0;
        }
        return n;
    }

    /** A backoff: a deliberate wait the watchdog must not take for a wedged thread. */
    private void pause(Duration wait) throws InterruptedException {
        heartbeat.pausing(wait);
        sleeper.sleep(wait);
    }

    static boolean isConfigError(int status) {
        return status == 401 || status == 403 || status == 404;
    }

    private void reportConfigError(LokiHttp.Answer answer, Duration wait) {
        String status = Integer.toString(answer.status());
        configErrors.inc(1, host, status);
        String reason = switch (answer.status()) {
            case 401 -> "401 Unauthorized (check basic_auth / bearer_token)";
            case 403 -> "403 Forbidden (check the credentials' rights and tenant_id)";
            default -> "404 Not Found (check the url: Loki pushes go to /loki/api/v1/push)";
        };
        String why = "answers " + reason + ": " + answer.message();
        health.problem(problemSource, why);
        configErrorReported = true;
        long now = nanoTime.getAsLong();
        if (!configErrorLogged || now - configErrorLoggedAt >= CONFIG_ERROR_LOG_NANOS) {
            configErrorLogged = true;
            configErrorLoggedAt = now;
            LOG.severe("Loki " + host + " " + why + "; a configuration error: retrying (next in " + wait.toMillis()
                    + " ms, then with backoff), nothing is lost; logged at most once a minute");
        }
    }

    private LokiHttp.Answer push(Batch batch, int from, int to, String tenant, boolean oneTenant) throws InterruptedException {
        if (encoding == ClientConfig.PushEncoding.JSON) {
            byte[] body = oneTenant ? json.encode(batch, from, to, tenant) : json.encode(batch, from, to);
            return transport.post(body, body.length, "application/json", "gzip", tenant);
        }
        if (oneTenant) {
            protobuf.encode(batch, from, to, tenant);
        } else {
            protobuf.encode(batch, from, to);
        }
        int n = protobuf.compress();
        return transport.post(protobuf.compressed(), n, "application/x-protobuf", null, tenant);
    }
}
