package tailflow.systemtest.deb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tailflow.agent.layout.InstallLayout;
import tailflow.systemtest.support.Command;
import tailflow.systemtest.support.CommandResult;
import tailflow.systemtest.support.Machine;
import tailflow.systemtest.support.Need;

/**
 * The built package as files: Debian's own checker reports nothing (errors, warnings, pedantic
 * and info tags), the copyright file names every JAR the package bundles (a new dependency needs
 * its license stanza there), and the package follows the one install layout
 * ({@link InstallLayout#STANDARD}) that the provisioner, unit and launcher use.
 */
class DebContentsIT {

    @Test
    void lintianReportsNothing() {
        Machine.require(Need.LINTIAN);
        Path deb = DebBuild.built();
        CommandResult lintian = Command.of("lintian", "--pedantic", "--display-level", ">=pedantic", deb.toString())
                .timeout(Duration.ofMinutes(5)).run();
        List<String> tags = lintian.stdout().lines().filter(l -> l.matches("^[EWIP]: .*")).toList();
        assertThat(tags).as("lintian's tags (exit %d):\n%s", lintian.exitCode(), lintian.output()).isEmpty();
        assertThat(lintian.exitCode()).as(lintian.output()).isZero();
    }

    @Test
    void theCopyrightFileCoversEveryBundledJar() {
        Path deb = DebBuild.built();
        List<String> jars = Command.of("dpkg-deb", "-c", deb.toString()).run().requireOk().stdout().lines()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .filter(p -> p.startsWith("./usr/share/tailflow/lib/") && p.endsWith(".jar"))
                .map(p -> p.substring("./usr/share/tailflow/lib/".length()))
                .filter(j -> !j.equals("agent.jar")).toList();
        String copyright = dataFile(deb, "/usr/share/doc/tailflow-agent/copyright");
        List<String> patterns = copyright.lines().filter(l -> l.startsWith("Files: usr/share/tailflow/lib/"))
                .map(l -> l.substring("Files: usr/share/tailflow/lib/".length()).strip()).toList();
        assertThat(jars).isNotEmpty();
        for (String jar : jars) {
            assertThat(patterns).as("a copyright stanza for %s", jar)
                    .anyMatch(p -> jar.matches(Arrays.stream(p.split("\\*", -1))
                            .map(java.util.regex.Pattern::quote).reduce((a, b) -> a + ".*" + b).orElse("")));
        }
    }

    @Test
    void thePackageFollowsTheInstallLayout() {
        InstallLayout layout = InstallLayout.STANDARD;
        Path deb = DebBuild.built();
        String files = Command.of("dpkg-deb", "-c", deb.toString()).run().requireOk().stdout();
        assertThat(files).contains(" ." + layout.configFile() + "\n", " ." + layout.packageUnitFile() + "\n",
                " ./usr/bin/tailflow-agent -> ../share/tailflow/bin/agent\n");
        assertThat(control(deb, "conffiles").strip()).isEqualTo(layout.configFile());
        assertThat(dataFile(deb, layout.packageUnitFile()))
                .contains("\nExecStart=/usr/bin/tailflow-agent --config " + layout.configFile() + "\n")
                .contains("\nUser=" + layout.user() + "\n", "\nGroup=" + layout.group() + "\n")
                .contains("\nStateDirectory=" + layout.stateDirectory().substring("/var/lib/".length()) + "\n");
        String postinst = control(deb, "postinst");
        assertThat(postinst).contains("--home-dir " + layout.stateDirectory(), "--user-group",
                "getent passwd " + layout.user(), "for group in " + String.join(" ", layout.supplementaryGroups()) + ";",
                "config=" + layout.configFile(), "unit=" + layout.unitName());
        assertThat(control(deb, "postrm")).contains("rm -rf " + layout.stateDirectory() + " ",
                "rmdir " + layout.configDir(), "userdel " + layout.user(), "unit=" + layout.unitName());
        assertThat(control(deb, "prerm")).contains("stop " + layout.unitName());
    }

    private static String control(Path deb, String file) {
        return Command.shell("dpkg-deb --ctrl-tarfile '" + deb + "' | tar -xOf - ./" + file).run().requireOk().stdout();
    }

    private static String dataFile(Path deb, String path) {
        return Command.shell("dpkg-deb --fsys-tarfile '" + deb + "' | tar -xOf - ." + path).run().requireOk().stdout();
    }
}
