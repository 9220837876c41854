package tailflow.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quiet reader's inotify watch over a real directory: appends, new files and renames wake it; silence does not. */
class FileWatchTest {
    private static final long LONG = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path dir;
    private final FileWatch watch = new FileWatch();

    @AfterEach
    void close() {
        watch.close();
    }

    @Test
    void anAppendARenameAndANewFileEachWakeTheWaiter() throws Exception {
        Path log = Files.writeString(dir.resolve("app.log"), "one\n");
        assertThat(watch.arm(List.of(dir))).isTrue();
        assertThat(watch.await(TimeUnit.MILLISECONDS.toNanos(200))).as("nothing changed").isFalse();

        Files.writeString(log, "two\n", StandardOpenOption.APPEND);
        assertThat(watch.await(LONG)).as("an append").isTrue();
        Files.move(log, dir.resolve("app.log.1"));
        assertThat(watch.await(LONG)).as("a rename").isTrue();
        Files.writeString(dir.resolve("app.log"), "three\n");
        assertThat(watch.await(LONG)).as("a new file").isTrue();
    }

    @Test
    void disarmedItWatchesNothingAndCanBeArmedAgain() throws Exception {
        Path log = Files.writeString(dir.resolve("app.log"), "one\n");
        assertThat(watch.arm(List.of(dir))).isTrue();
        watch.disarm();
        assertThat(watch.armed()).isFalse();
        Files.writeString(log, "two\n", StandardOpenOption.APPEND);
        assertThat(watch.arm(List.of(dir))).isTrue();
        assertThat(watch.await(TimeUnit.MILLISECONDS.toNanos(200))).as("the append before arming is not an event").isFalse();
        Files.writeString(log, "three\n", StandardOpenOption.APPEND);
        assertThat(watch.await(LONG)).isTrue();
    }

    @Test
    void aDirectoryThatCannotBeWatchedLeavesTheReaderPolling() {
        assertThat(watch.arm(List.of(dir.resolve("missing")))).isFalse();
        assertThat(watch.armed()).isFalse();
    }
}
