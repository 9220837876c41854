package tailflow.agent.stages;

import java.time.Clock;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import tailflow.agent.ops.metrics.Metrics;

/**
 * What stages get from the agent when they are created.
 *
 * @param wall          wall clock (drop's older_than, year-less timestamps, pack's ingest timestamp)
 * @param monoNanos     monotonic clock (multiline's max_wait_time, limit's rate)
 * @param metrics       the registry the metrics stage records into
 * @param recordMetrics false on every chain of a job but one, so a job with two clients counts each line once
 * @param jobName       the scrape config's job_name (match's pipeline_name is appended to it)
 * @param random        sampling's coin
 * @param sleeper       waits the given nanoseconds (limit without drop holds the chain back, as Promtail's does)
 */
public record StageContext(Clock wall, LongSupplier monoNanos, Metrics metrics, boolean recordMetrics, String jobName,
        RandomGenerator random, LongConsumer sleeper) {

    public static StageContext system(Metrics metrics, boolean recordMetrics, String jobName) {
        return new StageContext(Clock.systemUTC(), System::nanoTime, metrics, recordMetrics, jobName,
                RandomGenerator.getDefault(),
                nanos -> java.util.concurrent.locks.LockSupport.parkNanos(nanos));
    }
}
