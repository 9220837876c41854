package tailflow.systemtest.provisioner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tailflow.systemtest.hosts.HostImage;

/**
 * Runs the packaged provisioner ({@code packaging/bin/provisioner}, the jar {@code mvn package}
 * built) as a separate process, with its own home directory so the test machine's
 * ~/.ssh (known_hosts, config, keys) never leaks into a test.
 */
public record ProvisionerRun(int exitCode, String output) {

    public static ProvisionerRun run(Path home, List<String> args) throws IOException, InterruptedException {
        return run(home, args, java.util.Map.of());
    }

    public static ProvisionerRun run(Path home, List<String> args, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        Path root = HostImage.checkoutRoot();
        List<String> argv = new ArrayList<>();
        argv.add(root.resolve("packaging/bin/provisioner").toString());
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("TAILFLOW_JAVA_OPTS", "-Duser.home=" + home);
        pb.environment().put("HOME", home.toString());
        // the test machine's ssh-agent and Ansible settings must not leak in either
        pb.environment().remove("SSH_AUTH_SOCK");
        pb.environment().keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("provisioner did not finish in 5 minutes: " + args);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println("$ provisioner " + String.join(" ", args) + "\n" + text + "(exit " + p.exitValue() + ")");
        return new ProvisionerRun(p.exitValue(), text);
    }
}
