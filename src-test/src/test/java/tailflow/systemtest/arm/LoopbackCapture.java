package tailflow.systemtest.arm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tailflow.systemtest.support.Command;
import tailflow.systemtest.support.Wait;

/**
 * tshark capturing UDP to one port on the test machine's loopback into a pcap file: what the
 * emulated agent really put on the wire, decoded afterwards by tshark's own sFlow dissector.
 */
final class LoopbackCapture implements AutoCloseable {
    private final Process tshark;
    private final Path pcap;
    private final Path log;
    private final int port;

    private LoopbackCapture(Process tshark, Path pcap, Path log, int port) {
        this.tshark = tshark;
        this.pcap = pcap;
        this.log = log;
        this.port = port;
    }

    /** Starts capturing and returns once tshark says it captures. */
    static LoopbackCapture start(Path dir, int port, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path pcap = dir.resolve("sflow-" + port + ".pcap");
        Path log = dir.resolve("tshark-" + port + ".log");
        Process p = new ProcessBuilder("tshark", "-q", "-i", "lo", "-f", "udp dst port " + port, "-w", pcap.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LoopbackCapture capture = new LoopbackCapture(p, pcap, log, port);
        if (!Wait.upTo(timeout, "tshark capturing on lo").poll(() -> capture.logText().contains("Capturing on") || !p.isAlive())
                || !capture.logText().contains("Capturing on")) {
            capture.close();
            throw new IllegalStateException("tshark did not start capturing on lo: " + capture.logText());
        }
        return capture;
    }

    /**
     * Waits until the pcap file holds at least {@code frames} frames. dumpcap gets packets from the
     * kernel's capture ring a block at a time and writes its file in steps, so a datagram the
     * collector already has may still be on its way into the file; stopping tshark then can lose it.
     * True when the file has them in time.
     */
    boolean awaitFrames(int frames, Duration timeout) throws InterruptedException {
        return Wait.upTo(timeout, frames + " frames in " + pcap).poll(() -> framesWritten() >= frames);
    }

    private int framesWritten() {
        // A file being written may end in half a record: tshark then reads what is whole and exits 2.
        String out = Command.of(List.of("tshark", "-r", pcap.toString(), "-T", "fields", "-e", "frame.number"))
                .timeout(Duration.ofMinutes(1)).run().stdout();
        return (int) out.lines().filter(l -> !l.isBlank() && l.chars().allMatch(Character::isDigit)).count();
    }

    /** Stops the capture and decodes it: one list of values per frame, one value per field (comma-joined repeats). */
    List<List<String>> stopAndDecode(String... fields) throws IOException, InterruptedException {
        close();
        List<String> command = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-d", "udp.port==" + port + ",sflow",
                "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (String f : fields) {
            command.add("-e");
            command.add(f);
        }
        String out = Command.of(command).timeout(Duration.ofMinutes(1)).mergeStderr().run().requireOk().output();
        List<List<String>> frames = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank() && !line.startsWith("Running as user")) {
                frames.add(List.of(line.split("\t", -1)));
            }
        }
        return frames;
    }

    private String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (tshark.isAlive()) {
            tshark.destroy(); // SIGTERM: tshark flushes and closes the pcap
            if (!tshark.waitFor(15, TimeUnit.SECONDS)) {
                tshark.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
