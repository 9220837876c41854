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
    private static final Path PACKAGING = Path.of(System.getProperty("tailflow.root", "..")).resolve("packaging");
    private static final Path UNIT = PACKAGING.resolve("tailflow-agent.service");
    private static final Path PROMISCUOUS = PACKAGING.resolve("promiscuous.conf");
    private static final Pattern OVERALL =
            Pattern.compile("Overall exposure level for tailflow-agent\\.service: (\\d+\\.\\d+)");

    @Test
    void exposureIsAtMostTwo() throws IOException, InterruptedException {
        String out = security(UNIT.toAbsolutePath().normalize().toString());
        System.out.println("tailflow-agent.service exposure: " + exposure(out));
        assertThat(exposure(out)).isLessThanOrEqualTo(2.0);
        assertThat(out).contains("✓ CapabilityBoundingSet=~CAP_NET_ADMIN");
    }

    /** The shipped drop-in for older libpcap: systemd applies it, it adds CAP_NET_ADMIN only, exposure stays <= 2.0. */
    @Test
    void thePromiscuousDropInAddsCapNetAdminAndNothingElse() throws IOException, InterruptedException {
        Path root = Files.createTempDirectory("ops-unit-root");
        try {
            Path system = root.resolve("etc/systemd/system");
            Files.createDirectories(system.resolve("tailflow-agent.service.d"));
            Files.copy(UNIT, system.resolve("tailflow-agent.service"));
            String without = security("--root=" + root, "tailflow-agent.service");
            Files.copy(PROMISCUOUS, system.resolve("tailflow-agent.service.d/promiscuous.conf"));
            String with = security("--root=" + root, "tailflow-agent.service");
            System.out.println("exposure with promiscuous.conf: " + exposure(with));
            assertThat(with).contains("✗ CapabilityBoundingSet=~CAP_NET_ADMIN");
            assertThat(exposure(with)).isGreaterThan(exposure(without)).isLessThanOrEqualTo(2.0);
            // every other finding is unchanged: the drop-in adds one capability and nothing else
            assertThat(findings(with)).hasSize(findings(without).size());
            assertThat(findings(with)).filteredOn(l -> !l.contains("CAP_NET_ADMIN"))
                    .containsExactlyElementsOf(findings(without).stream().filter(l -> !l.contains("CAP_NET_ADMIN")).toList());
        } finally {
            try (var files = Files.walk(root)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** {@code systemd-analyze security --offline=true ARGS}; fails on keys systemd does not know. */
    private static String security(String... args) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("systemd-analyze", ".err");
        try {
            java.util.List<String> command = new java.util.ArrayList<>(
                    java.util.List.of("systemd-analyze", "security", "--offline=true", "--no-pager"));
            command.addAll(java.util.List.of(args));
            Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String err = Files.readString(stderr);
            assertThat(OVERALL.matcher(out).find()).as("systemd-analyze output:%n%s%n%s", out, err).isTrue();
            // Unknown or misspelt keys are only warned about, and would silently not harden anything.
            assertThat(err).doesNotContainIgnoringCase("unknown").doesNotContainIgnoringCase("invalid")
                    .doesNotContainIgnoringCase("failed to parse");
            return out;
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    private static double exposure(String out) {
        Matcher m = OVERALL.matcher(out);
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static java.util.List<String> findings(String out) {
        return out.lines().filter(l -> l.startsWith("✓") || l.startsWith("✗")).map(String::strip).toList();
    }
}
