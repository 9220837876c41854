package tailflow.provisioner.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** A minimal checkout after {@code mvn package}: the agent jar (with its version), one lib jar, launcher and unit. */
public final class TestCheckout {

    private TestCheckout() {}

    public static Path create(Path dir, String libContent) throws IOException {
        Files.createDirectories(dir.resolve("agent/target/lib"));
        Files.createDirectories(dir.resolve("packaging/bin"));
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(dir.resolve("agent/target/agent.jar")))) {
            jar.putNextEntry(new JarEntry("tailflow/agent/version.properties"));
            jar.write("version=0.9.1\n".getBytes());
            jar.closeEntry();
        }
        Files.writeString(dir.resolve("agent/target/lib/dep.jar"), libContent);
        Files.writeString(dir.resolve("packaging/bin/agent"), "#!/bin/sh\nexit 0\n");
        Files.writeString(dir.resolve("packaging/tailflow-agent.service"), "[Unit]\nDescription=test\n");
        return dir;
    }
}
