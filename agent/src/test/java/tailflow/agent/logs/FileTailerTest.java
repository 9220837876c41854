package tailflow.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTailerTest {

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();
    private final List<long[]> offsets = new ArrayList<>();
    private final List<Boolean> truncatedFlags = new ArrayList<>();
    private final List<Boolean> asciiFlags = new ArrayList<>();
    private int capacity = Integer.MAX_VALUE;

    private final FileTailer.LineSink sink = (t, buf, off, len, start, end, truncated, ascii) -> {
        if (lines.size() >= capacity) {
            return false;
        }
        byte[] out = new byte[Utf8.maxRepairedLength(len)];
        int n = Utf8.copyRepaired(buf, off, len, out, 0);
        lines.add(new String(out, 0, n, StandardCharsets.UTF_8));
        offsets.add(new long[] {start, end});
        truncatedFlags.add(truncated);
        asciiFlags.add(ascii);
        return true;
    };

    private FileTailer tailer(Path file, int maxLine, long partialWait) throws IOException {
        return FileTailer.open(file, FileIdentity.of(file), 0, maxLine, partialWait, 0);
    }

    private static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void splitsLinesStripsCarriageReturnAndReportsOffsets() throws IOException {
        Path f = dir.resolve("a.log");
        append(f, "one\r\ntwo\n\nthree\n".getBytes(StandardCharsets.UTF_8));
        try (FileTailer t = tailer(f, 1000, 5)) {
            assertThat(t.poll(new FileTailer.ReadBuffer(1000), sink, 0, false, Long.MAX_VALUE)).isEqualTo(FileTailer.PollResult.EOF);
            assertThat(lines).containsExactly("one", "two", "", "three");
            assertThat(offsets).extracting(o -> o[0] + "-" + o[1]).containsExactly("0-5", "5-9", "9-10", "10-16");
            assertThat(t.readOffset()).isEqualTo(16);
        }
    }

    @Test
    void partialLastLineWaitsUntilTheFileWasIdleLongEnough() throws IOException {
        Path f = dir.resolve("a.log");
        append(f, "done\npart".getBytes(StandardCharsets.UTF_8));
        FileTailer.ReadBuffer rb = new FileTailer.ReadBuffer(1000);
        try (FileTailer t = tailer(f, 1000, 5_000)) {
            assertThat(t.poll(rb, sink, 1_000, false, Long.MAX_VALUE)).isEqualTo(FileTailer.PollResult.WAITING_PARTIAL);
            assertThat(lines).containsExactly("done");
            assertThat(t.readOffset()).isEqualTo(5);
            append(f, "ial".getBytes(StandardCharsets.UTF_8));
            assertThat(t.poll(rb, sink, 4_000, false, Long.MAX_VALUE)).isEqualTo(FileTailer.PollResult.WAITING_PARTIAL);
            // the file grew at 4000: due at 9000, not 6000
            assertThat(t.poll(rb, sink, 8_999, false, Long.MAX_VALUE)).isEqualTo(FileTailer.PollResult.WAITING_PARTIAL);
            assertThat(t.poll(rb, sink, 9_000, false, Long.MAX_VALUE)).isEqualTo(FileTailer.PollResult.EOF);
            assertThat(lines).containsExactly("done", "partial");
            assertThat(t.readOffset()).isEqualTo(12);
        }
    }

    @Test
    void completedPartialLineIsOneLine() throws IOException {
        Path f = dir.resolve("a.log");
        append(f, "hal".getBytes(StandardCharsets.UTF_8));
        FileTailer.ReadBuffer rb = new FileTailer.ReadBuffer(1000);
        try (FileTailer t = tailer(f, 1000, 5_000)) {
            t.poll(rb, sink, 0, false, Long.MAX_VALUE);
            append(f, "f\n".getBytes(StandardCharsets.UTF_8));
            t.poll(rb, sink, 1, false, Long.MAX_VALUE);
            assertThat(lines).containsExactly("half");
        }
    }

    @Test
    void longLinesAreTruncatedAndTheRestSkippedUpToTheNewline() throws IOException {
        Path f = dir.resolve("a.log");
        byte[] huge = new byte[700_000];
        java.util.Arrays.fill(huge, (byte) 'x');
        append(f, "short\n".getBytes(StandardCharsets.UTF_8));
        append(f, huge);
        append(f, "\nafter\n".getBytes(StandardCharsets.UTF_8));
        byte[] mid = new byte[300];
        java.util.Arrays.fill(mid, (byte) 'y');
        append(f, mid);
        append(f, "\n".getBytes(StandardCharsets.UTF_8));
        try (FileTailer t = tailer(f, 100, 5)) {
            t.poll(new FileTailer.ReadBuffer(100), sink, 0, false, Long.MAX_VALUE);
        }
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).hasSize(100);
        assertThat(truncatedFlags).containsExactly(false, true, false, true);
        assertThat(lines.get(2)).isEqualTo("after");
        assertThat(offsets.get(1)[1]).isEqualTo(6 + 700_001);
    }

    @Test
    void invalidUtf8IsReplacedNotDropped() throws IOException {
        Path f = dir.resolve("a.log");
        append(f, new byte[] {'o', 'k', (byte) 0xC3, (byte) 0xA9, ' ', (byte) 0xFF, 'x', (byte) 0xE2, (byte) 0x82, '\n'});
        try (FileTailer t = tailer(f, 1000, 5)) {
            t.poll(new FileTailer.ReadBuffer(1000), sink, 0, false, Long.MAX_VALUE);
        }
        assertThat(lines).containsExactly("oké \uFFFDx\uFFFD");
    }

    @Test
    void refusedLineIsOfferedAgainFromItsStart() throws IOException {
        Path f = dir.resolve("a.log");
        append(f, "a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
        FileTailer.ReadBuffer rb = new FileTailer.ReadBuffer(1000);
        try (FileTailer t = tailer(f, 1000, 5)) {
            capacity = 2;
            assertThat(t.poll(rb, sink, 0, false, Long.MAX_VALUE)).isEqualTo(FileTailer.PollResult.SINK_FULL);
            assertThat(t.readOffset()).isEqualTo(4);
            capacity = 10;
            t.poll(rb, sink, 0, false, Long.MAX_VALUE);
            assertThat(lines).containsExactly("a", "b", "c");
        }
    }

    @Test
    void truncationIsReported() throws IOException {
        Path f = dir.resolve("a.log");
        append(f, "aaaa\nbbbb\n".getBytes(StandardCharsets.UTF_8));
        FileTailer.ReadBuffer rb = new FileTailer.ReadBuffer(1000);
        try (FileTailer t = tailer(f, 1000, 5)) {
            t.poll(rb, sink, 0, false, Long.MAX_VALUE);
            Files.write(f, "c\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.TRUNCATE_EXISTING);
            assertThat(t.poll(rb, sink, 0, false, Long.MAX_VALUE)).isEqualTo(FileTailer.PollResult.TRUNCATED);
            t.restartAt(0);
            t.poll(rb, sink, 0, false, Long.MAX_VALUE);
            assertThat(lines).containsExactly("aaaa", "bbbb", "c");
        }
    }

    @Test
    void utf8BoundaryCutNeverSplitsACharacter() {
        byte[] s = "aé€".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 bytes
        assertThat(Utf8.boundaryAtOrBefore(s, 0, s.length, 2)).isEqualTo(1);
        assertThat(Utf8.boundaryAtOrBefore(s, 0, s.length, 3)).isEqualTo(3);
        assertThat(Utf8.boundaryAtOrBefore(s, 0, s.length, 5)).isEqualTo(3);
        assertThat(Utf8.boundaryAtOrBefore(s, 0, s.length, 6)).isEqualTo(6);
    }

    @Test
    void newlineSearchFindsEveryPositionAroundWordBoundaries() {
        for (int len = 0; len < 40; len++) {
            for (int nl = 0; nl < len; nl++) {
                byte[] b = new byte[len];
                java.util.Arrays.fill(b, (byte) 0x8A); // a byte that differs from '\n' only in its high bit
                b[nl] = '\n';
                assertThat(FileTailer.indexOf(b, 0, len)).isEqualTo(nl);
                assertThat(FileTailer.indexOf(b, Math.min(nl + 1, len), len)).isEqualTo(-1);
            }
        }
    }

    @Test
    void repairCopiesAsciiFastAndRepairsAfterIt() {
        byte[] src = "0123456789abcdef\u00e9x".getBytes(StandardCharsets.UTF_8);
        src[src.length - 2] = (byte) 0xFF;
        byte[] dst = new byte[Utf8.maxRepairedLength(src.length)];
        int n = Utf8.copyRepaired(src, 0, src.length, dst, 0);
        assertThat(new String(dst, 0, n, StandardCharsets.UTF_8)).isEqualTo("0123456789abcdef\uFFFD\uFFFDx");
    }

    @Test
    void theFingerprintFollowsLinesConsumedBeforeAFullSinkSoACopyIsRecognised() throws IOException {
        Path f = dir.resolve("a.log");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            sb.append("line ").append(i).append(" of the first generation\n");
        }
        append(f, sb.toString().getBytes(StandardCharsets.UTF_8));
        try (FileTailer t = tailer(f, 1000, 5)) {
            FileTailer.ReadBuffer rb = new FileTailer.ReadBuffer(1000);
            capacity = 10;
            assertThat(t.poll(rb, sink, 0, false, Long.MAX_VALUE)).isEqualTo(FileTailer.PollResult.SINK_FULL);
            capacity = 20;
            assertThat(t.poll(rb, sink, 0, false, Long.MAX_VALUE)).isEqualTo(FileTailer.PollResult.SINK_FULL);
            Path copy = dir.resolve("a.log.1");
            Files.copy(f, copy);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(copy)) {
                assertThat(t.isCopyOfWhatWasRead(ch)).isTrue();
            }
            // copytruncate whose new content grew past the read offset before the next poll
            Files.write(f, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
            append(f, "x\n".repeat(2000).getBytes(StandardCharsets.UTF_8));
            assertThat(t.poll(rb, sink, 0, false, Long.MAX_VALUE)).isEqualTo(FileTailer.PollResult.TRUNCATED);
            assertThat(lines).hasSize(20).allMatch(l -> l.endsWith("first generation"));
        }
    }

    @Test
    void nulBytesInAChunkStopTheTailerAsBinary() throws IOException {
        Path f = dir.resolve("a.log");
        append(f, "text\n".getBytes(StandardCharsets.UTF_8));
        try (FileTailer t = tailer(f, 1000, 5)) {
            FileTailer.ReadBuffer rb = new FileTailer.ReadBuffer(1000);
            assertThat(t.poll(rb, sink, 0, false, Long.MAX_VALUE)).isEqualTo(FileTailer.PollResult.EOF);
            append(f, new byte[4096]);
            assertThat(t.poll(rb, sink, 0, false, Long.MAX_VALUE)).isEqualTo(FileTailer.PollResult.BINARY);
            assertThat(lines).containsExactly("text");
        }
    }

    @Test
    void theNewlineScanSaysWhichLinesAreAllAsciiWhereverTheOtherBytesSit(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.util.Random r = new java.util.Random(5);
        java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        List<Boolean> expected = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int length = r.nextInt(40);
            boolean ascii = true;
            for (int j = 0; j < length; j++) {
                int c = r.nextInt(30) == 0 ? 0x80 + r.nextInt(128) : 'a' + r.nextInt(26);
                ascii &= c < 0x80;
                content.write(c);
            }
            content.write('\n');
            expected.add(ascii);
        }
        Path file = dir.resolve("mixed.log");
        Files.write(file, content.toByteArray());
        try (FileTailer t = tailer(file, 1 << 20, 0)) {
            t.poll(new FileTailer.ReadBuffer(1 << 20), sink, 0, false, Long.MAX_VALUE);
        }
        assertThat(asciiFlags).isEqualTo(expected);
    }
}
