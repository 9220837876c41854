package tailflow.systemtest.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.FreePort;

/**
 * Exactly once under chaos. A writer appends numbered lines to {@code app.log} (glob
 * {@code *.log}); the test rotates by rename into names the glob does not match
 * ({@code app.log.N}) and by copytruncate ({@code app.log.ctN}, the writer paused between copy and
 * truncate so no line is in neither file), SIGKILLs the agent (also before its first
 * acknowledgement with rotations in flight, and right after a copytruncate), makes the receiver
 * answer 429 or 500 or hang for windows, and fills the small tmpfs holding the positions file so
 * that its writes fail with ENOSPC for a while. At the end the receiver holds every number
 * exactly once, all under {@code filename=app.log}.
 *
 * <p>CI size: 20,000 lines, 6 rotations, 4 kills, 5 windows. Full size
 * ({@code -Dtailflow.chaos.full=true}): 10^6 lines, 20 rotations of each kind, 10 kills, 10
 * windows. The seed with {@code -Dtailflow.chaos.seed=N}.
 */
class ChaosIT {

    @TempDir
    Path dir;

    private record Event(long atMillis, String kind) {}

    @Test
    void everyLineArrivesExactlyOnceDespiteKillsRotationsLokiFailuresAndAFullDisk() throws Exception {
        boolean full = Boolean.getBoolean("tailflow.chaos.full");
        int lines = full ? 1_000_000 : 20_000;
        int renames = full ? 20 : 3;
        int copytruncates = full ? 20 : 3;
        int kills = full ? 10 : 4;
        int windows = full ? 10 : 5;
        int rate = full ? 8_000 : 1_000;
        long seed = Long.getLong("tailflow.chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("ChaosIT seed=" + seed + " lines=" + lines + " renames=" + renames + " copytruncates="
                + copytruncates + " kills=" + kills + " windows=" + windows + " load=" + LoadAverage.now());

        long writeMillis = lines * 1000L / rate;
        List<Event> events = new ArrayList<>();
        // Before the first acknowledgement: Loki hangs, two rotations, a kill, then Loki answers.
        events.add(new Event(0, "hang-until-released"));
        events.add(new Event(Math.min(700, writeMillis / 10), "rename"));
        events.add(new Event(Math.min(1400, writeMillis / 8), "rename"));
        events.add(new Event(Math.min(1800, writeMillis / 7), "kill-after-reading"));
        events.add(new Event(Math.min(2200, writeMillis / 6), "release"));
        long from = Math.min(2500, writeMillis / 5);
        for (int i = 2; i < renames; i++) {
            events.add(new Event(from + (writeMillis - from) * i / renames, "rename"));
        }
        for (int i = 0; i < copytruncates; i++) {
            long at = from + (long) (random.nextDouble() * (writeMillis - from));
            events.add(new Event(at, i == 0 ? "copytruncate+kill" : "copytruncate"));
        }
        for (int i = 2; i < kills; i++) {
            events.add(new Event(from + (long) (random.nextDouble() * (writeMillis - from)), "kill"));
        }
        String[] kinds = {"fail429", "fail500", "hang", "enospc"};
        for (int i = 0; i < windows; i++) {
            events.add(new Event(from + (long) (random.nextDouble() * (writeMillis - from)), kinds[i % kinds.length]));
        }
        events.sort((a, b) -> Long.compare(a.atMillis(), b.atMillis()));

        Path logs = dir.resolve("logs");
        Path app = logs.resolve("app.log");
        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0);
                SmallTmpfs state = SmallTmpfs.mount(dir.resolve("state"), 256)) {
            int port = FreePort.pick();
            Path config = TestLogDir.writeConfig(dir, loki.pushUrl(), port, logs + "/*.log", null, null);
            Files.writeString(config, Files.readString(config).replace(dir.resolve("positions.yaml").toString(),
                    state.dir().resolve("positions.yaml").toString()));
            Files.createFile(app);
            try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile(getClass().getSimpleName()), port)) {
                loki.mode(LokiReceiver.Mode.HANG);
                agent.start();
                agent.awaitReady(Duration.ofSeconds(30));
                NumberedWriter writer = new NumberedWriter(app, lines, rate, 0);
                Thread writerThread = new Thread(writer, "numbered-writer");
                long t0 = System.nanoTime();
                writerThread.start();
                int rotation = 0;
                try {
                    for (Event e : events) {
                        long wait = e.atMillis() - (System.nanoTime() - t0) / 1_000_000;
                        if (wait > 0) {
                            Thread.sleep(wait); // the schedule itself: events happen at planned moments
                        }
                        switch (e.kind()) {
                            case "hang-until-released" -> loki.mode(LokiReceiver.Mode.HANG);
                            case "release" -> {
                                assertThat(loki.storedCount()).as("nothing acknowledged before the release").isZero();
                                loki.mode(LokiReceiver.Mode.OK);
                            }
                            case "rename" -> {
                                Files.move(app, logs.resolve("app.log." + ++rotation));
                                Files.createFile(app);
                                writer.reopen();
                            }
                            case "copytruncate", "copytruncate+kill" -> {
                                Path copy = logs.resolve("app.log.ct" + ++rotation);
                                writer.between(() -> {
                                    Files.copy(app, copy);
                                    try (FileChannel ch = FileChannel.open(app, StandardOpenOption.WRITE)) {
                                        ch.truncate(0);
                                    }
                                });
                                if (e.kind().endsWith("+kill")) {
                                    restart(agent, random);
                                }
                            }
                            case "kill" -> restart(agent, random);
                            case "kill-after-reading" -> {
                                agent.await(Duration.ofSeconds(60), "the agent read lines",
                                        () -> agent.metricSum("tailflow_read_lines_total") > 0);
                                restart(agent, random);
                            }
                            case "fail429" -> window(loki, LokiReceiver.Mode.FAIL_429, 2000);
                            case "fail500" -> window(loki, LokiReceiver.Mode.FAIL_500, 2000);
                            case "hang" -> window(loki, LokiReceiver.Mode.HANG, 2500);
                            case "enospc" -> {
                                state.fill();
                                Thread.sleep(2500); // the window itself
                                state.release();
                            }
                            default -> throw new IllegalStateException(e.kind());
                        }
                        System.out.printf("ChaosIT t=%dms %s (written %d, stored %d)%n",
                                (System.nanoTime() - t0) / 1_000_000, e.kind(), writer.written(), loki.storedCount());
                    }
                    writerThread.join(writeMillis * 3 + 60_000);
                } finally {
                    loki.mode(LokiReceiver.Mode.OK);
                    state.release();
                    writerThread.interrupt();
                }
                assertThat(writer.failure()).isNull();
                assertThat(writer.written()).isEqualTo(lines);
                try {
                    agent.await(Duration.ofSeconds(full ? 600 : 120), "all " + lines + " lines stored",
                            () -> loki.storedCount() >= lines);
                } finally {
                    System.out.println("ChaosIT receiver: " + loki.stats());
                    ExactlyOnce.report(loki, lines);
                }
                long secs = (System.nanoTime() - t0) / 1_000_000_000L;

                // One more clean restart must not ship anything again.
                assertThat(agent.terminate(Duration.ofSeconds(30))).isEqualTo(0);
                agent.start();
                agent.awaitReady(Duration.ofSeconds(30));
                Thread.sleep(3000); // a negative check: give a wrong re-ship the chance to show up
                assertThat(agent.terminate(Duration.ofSeconds(30))).isEqualTo(0);

                ExactlyOnce.assertEveryNumberOnce(loki, lines, app);
                System.out.println("ChaosIT done in " + secs + " s: " + loki.stats() + " load=" + LoadAverage.now());
            }
        }
    }

    /**
     * kill -9, a random downtime, start, and wait until the new agent runs (on a loaded machine
     * its start can take seconds; killing it before it read anything would test nothing).
     */
    private static void restart(AgentProcess agent, Random random) throws Exception {
        agent.kill9();
        Thread.sleep(100 + random.nextInt(1200)); // the downtime itself
        agent.start();
        agent.awaitReady(Duration.ofSeconds(60));
    }

    private static void window(LokiReceiver loki, LokiReceiver.Mode mode, long millis) throws InterruptedException {
        loki.mode(mode);
        Thread.sleep(millis); // the window itself
        loki.mode(LokiReceiver.Mode.OK);
    }
}
