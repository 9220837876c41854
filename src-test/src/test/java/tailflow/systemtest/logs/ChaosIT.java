package tailflow.systemtest.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.FreePort;

/**
 * Exactly once under chaos: a writer appends numbered lines across rotations by rename, the test
 * SIGKILLs the agent at random moments and makes the receiver fail (500) or hang for windows;
 * at the end the receiver holds every number exactly once.
 *
 * <p>CI size: 20,000 lines, 3 rotations, 3 kills, 2 failure windows. Full size (200,000 lines,
 * 10 rotations, 5 kills, 3 windows) with {@code -Dtailflow.chaos.full=true}; the seed with
 * {@code -Dtailflow.chaos.seed=N}.
 */
class ChaosIT {

    @TempDir
    Path dir;

    private record Event(long atMillis, String kind) {}

    @Test
    void everyLineArrivesExactlyOnceDespiteKillsRotationsAndLokiFailures() throws Exception {
        boolean full = Boolean.getBoolean("tailflow.chaos.full");
        int lines = full ? 200_000 : 20_000;
        int rotations = full ? 10 : 3;
        int kills = full ? 5 : 3;
        int windows = full ? 3 : 2;
        int rate = full ? 4_000 : 1_000;
        long seed = Long.getLong("tailflow.chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("ChaosIT seed=" + seed + " lines=" + lines + " rotations=" + rotations + " kills=" + kills
                + " windows=" + windows);

        long writeMillis = lines * 1000L / rate;
        List<Event> events = new ArrayList<>();
        for (int i = 1; i <= rotations; i++) {
            events.add(new Event(writeMillis * i / (rotations + 1), "rotate"));
        }
        for (int i = 0; i < kills; i++) {
            events.add(new Event(300 + (long) (random.nextDouble() * writeMillis), "kill"));
        }
        for (int i = 0; i < windows; i++) {
            events.add(new Event(300 + (long) (random.nextDouble() * writeMillis), i % 2 == 0 ? "fail500" : "hang"));
        }
        events.sort((a, b) -> Long.compare(a.atMillis(), b.atMillis()));

        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0)) {
            int port = FreePort.pick();
            Path logs = dir.resolve("logs");
            Path app = logs.resolve("app.log");
            Path config = TestLogDir.writeConfig(dir, loki.pushUrl(), port, logs + "/*.log", null, null);
            Files.createFile(app);
            try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile(getClass().getSimpleName()), port)) {
                agent.start();
                agent.awaitReady(Duration.ofSeconds(30));
                NumberedWriter writer = new NumberedWriter(app, lines, rate, 0);
                Thread writerThread = new Thread(writer, "numbered-writer");
                long t0 = System.nanoTime();
                writerThread.start();
                int rotated = 0;
                try {
                    for (Event e : events) {
                        long wait = e.atMillis() - (System.nanoTime() - t0) / 1_000_000;
                        if (wait > 0) {
                            Thread.sleep(wait); // the schedule itself: events happen at planned moments
                        }
                        switch (e.kind()) {
                            case "rotate" -> {
                                rotated++;
                                for (int k = rotated - 1; k >= 1; k--) {
                                    Files.move(logs.resolve("app.log." + k), logs.resolve("app.log." + (k + 1)));
                                }
                                Files.move(app, logs.resolve("app.log.1"));
                                Files.createFile(app);
                                writer.reopen();
                            }
                            case "kill" -> {
                                agent.kill9();
                                Thread.sleep(100 + random.nextInt(1200));
                                agent.start();
                            }
                            case "fail500" -> {
                                loki.mode(LokiReceiver.Mode.FAIL_500);
                                Thread.sleep(2000);
                                loki.mode(LokiReceiver.Mode.OK);
                            }
                            case "hang" -> {
                                loki.mode(LokiReceiver.Mode.HANG);
                                Thread.sleep(2500);
                                loki.mode(LokiReceiver.Mode.OK);
                            }
                            default -> throw new IllegalStateException(e.kind());
                        }
                        System.out.printf("ChaosIT t=%dms %s (written %d, stored %d)%n",
                                (System.nanoTime() - t0) / 1_000_000, e.kind(), writer.written(), loki.storedCount());
                    }
                    writerThread.join(writeMillis * 3 + 60_000);
                } finally {
                    loki.mode(LokiReceiver.Mode.OK);
                    writerThread.interrupt();
                }
                assertThat(writer.failure()).isNull();
                assertThat(writer.written()).isEqualTo(lines);
                agent.await(Duration.ofSeconds(full ? 300 : 90), "all " + lines + " lines stored (" + loki.stats() + ")",
                        () -> loki.storedCount() >= lines);

                // One more clean restart must not ship anything again.
                assertThat(agent.terminate(Duration.ofSeconds(30))).isEqualTo(0);
                agent.start();
                agent.awaitReady(Duration.ofSeconds(30));
                Thread.sleep(3000); // give a wrong re-ship the chance to show up
                assertThat(agent.terminate(Duration.ofSeconds(30))).isEqualTo(0);

                int[] seen = new int[lines + 1];
                for (LokiReceiver.Entry e : loki.entries()) {
                    int seq = NumberedWriter.seqOf(e.line());
                    assertThat(seq).as("line %s", e.line()).isBetween(1, lines);
                    seen[seq]++;
                    assertThat(LokiReceiverAccess.labels(e)).containsEntry("filename", app.toString());
                }
                List<Integer> missing = new ArrayList<>();
                List<Integer> doubled = new ArrayList<>();
                for (int i = 1; i <= lines; i++) {
                    if (seen[i] == 0) {
                        missing.add(i);
                    } else if (seen[i] > 1) {
                        doubled.add(i);
                    }
                }
                System.out.println("ChaosIT receiver: " + loki.stats());
                assertThat(missing).as("missing numbers").isEmpty();
                assertThat(doubled).as("numbers stored more than once").isEmpty();
                assertThat(loki.storedCount()).isEqualTo(lines);
            }
        }
    }
}
