package tailflow.systemtest.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import tailflow.systemtest.hosts.HostImage;
import tailflow.systemtest.hosts.TestHost;

/**
 * Puts the built agent on a test host the way a release is laid out, without the provisioner:
 * {@code /opt/tailflow/releases/test/{bin/agent,lib/*.jar}}, {@code /opt/tailflow/current} pointing
 * there, the shipped unit in {@code /etc/systemd/system}, and the {@code tailflow} system user.
 */
final class AgentInstall {
    static final String UNIT = "tailflow-agent.service";
    static final String CONFIG = "/etc/tailflow/agent.yaml";

    private AgentInstall() {}

    static void install(TestHost host) throws IOException {
        Path checkout = HostImage.checkoutRoot();
        Path build = checkout.resolve("agent/target");
        if (!Files.isRegularFile(build.resolve("agent.jar"))) {
            throw new IllegalStateException(build + "/agent.jar is missing: build the agent module first (mvn -pl src-test -am verify)");
        }
        Path release = host.rootDir().resolve("opt/tailflow/releases/test");
        Files.createDirectories(release.resolve("bin"));
        Files.createDirectories(release.resolve("lib"));
        Path launcher = release.resolve("bin/agent");
        Files.copy(checkout.resolve("packaging/bin/agent"), launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(build.resolve("agent.jar"), release.resolve("lib/agent.jar"));
        try (Stream<Path> libs = Files.list(build.resolve("lib"))) {
            for (Path jar : (Iterable<Path>) libs::iterator) {
                Files.copy(jar, release.resolve("lib").resolve(jar.getFileName()));
            }
        }
        Files.createSymbolicLink(host.rootDir().resolve("opt/tailflow/current"), Path.of("releases/test"));
        Files.copy(checkout.resolve("packaging").resolve(UNIT), host.rootDir().resolve("etc/systemd/system").resolve(UNIT));
        host.run("useradd --system --user-group --no-create-home --home-dir /var/lib/tailflow"
                + " --shell /usr/sbin/nologin tailflow && systemctl daemon-reload").requireOk();
    }

    /** Writes a drop-in {@code /etc/systemd/system/tailflow-agent.service.d/NAME.conf} and reloads systemd. */
    static void dropIn(TestHost host, String name, String content) {
        host.putFile("/etc/systemd/system/" + UNIT + ".d/" + name + ".conf", content, "0644");
        host.run("systemctl daemon-reload").requireOk();
    }

    static void removeDropIn(TestHost host, String name) {
        host.run("rm -f /etc/systemd/system/" + UNIT + ".d/" + name + ".conf && systemctl daemon-reload").requireOk();
    }
}
