package tailflow.systemtest.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped unit's exposure score, computed by the real {@code systemd-analyze security
 * --offline=true} (systemd >= 252), stays at or below 2.0, and systemd parses every line of it.
 */
class UnitSecurityIT {
    private static final Path UNIT =
            Path.of(System.getProperty("tailflow.root", "..")).resolve("packaging/tailflow-agent.service");
    private static final Pattern OVERALL =
            Pattern.compile("Overall exposure level for tailflow-agent\\.service: (\\d+\\.\\d+)");

    @Test
    void exposureIsAtMostTwo() throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("systemd-analyze", ".err");
        try {
            Process p = new ProcessBuilder("systemd-analyze", "security", "--offline=true", "--no-pager",
                    UNIT.toAbsolutePath().normalize().toString())
                    .redirectError(stderr.toFile())
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String err = Files.readString(stderr);
            Matcher m = OVERALL.matcher(out);
            assertThat(m.find()).as("systemd-analyze output:%n%s%n%s", out, err).isTrue();
            double exposure = Double.parseDouble(m.group(1));
            System.out.println("tailflow-agent.service exposure: " + exposure);
            assertThat(exposure).isLessThanOrEqualTo(2.0);
            // Unknown or misspelt keys are only warned about, and would silently not harden anything.
            assertThat(err).doesNotContainIgnoringCase("unknown").doesNotContainIgnoringCase("invalid")
                    .doesNotContainIgnoringCase("failed to parse");
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
