package tailflow.agent.journal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints every entry of the journal files in a directory as libsystemd gives them through this
 * JNA binding: cursor, realtime timestamp, fields in the journal's order. A diagnostic, and the
 * check that armv7 and aarch64 read the same journal as x86_64 byte for byte:
 * {@code java -cp agent.jar tailflow.agent.journal.JournalDump DIR}.
 */
public final class JournalDump {
    private JournalDump() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: JournalDump DIRECTORY");
            System.exit(2);
        }
        Libsystemd.probe().ifPresent(why -> {
            System.err.println("journal unavailable: " + why);
            System.exit(1);
        });
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (SdJournal j = SdJournal.openDirectory(Path.of(args[0]))) {
            j.seekHead();
            while (j.next()) {
                out.println("cursor " + j.cursor());
                out.println("realtime " + j.realtimeMicros());
                List<String> fields = new ArrayList<>();
                j.fields((buf, len) -> fields.add(new String(buf, 0, len, StandardCharsets.UTF_8)));
                fields.forEach(f -> out.println("  " + f.replace("\n", "\\n")));
                // the cursor found again by seeking to it: seek and test_cursor work on this platform
                String c = j.cursor();
                out.println("test_cursor " + j.testCursor(c));
            }
        }
        out.flush();
    }
}
