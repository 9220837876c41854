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
import tailflow.systemtest.support.CommandResult;
import tailflow.systemtest.support.FreePort;
import tailflow.systemtest.support.Wait;

/**
 * A full Debian armhf system under qemu-system-arm ({@code -M virt}, TCG, one CPU) booted from the
 * cached image of src-test/fixtures/armhf-vm-image.sh through a throw-away qcow2 overlay, so every
 * run starts from the same pristine disk. User-mode networking with {@code restrict=on}: the guest
 * reaches nothing but the forwards: sshd on a loopback port of the test machine, and
 * {@code 10.0.2.100:<guestPort>} forwarded (one socat per connection) to a TCP service on
 * 127.0.0.1 of the test machine.
 */
public final class ArmVm implements AutoCloseable {

    /** The address the guest uses for the test machine's forwarded service. */
    public static final String HOST_ALIAS = "10.0.2.100";

    /** The cached image: kernel, initrd, raw ext4 root disk and root's SSH key. */
    public record Image(Path dir) {
        Path kernel() {
            return dir.resolve("vmlinuz");
        }

        Path initrd() {
            return dir.resolve("initrd.img");
        }

        Path disk() {
            return dir.resolve("disk.img");
        }

        public Path key() {
            return dir.resolve("id_ed25519");
        }
    }

    private final Process qemu;
    private final Path workDir;
    private final int sshPort;
    private final Image image;

    private ArmVm(Process qemu, Path workDir, int sshPort, Image image) {
        this.qemu = qemu;
        this.workDir = workDir;
        this.sshPort = sshPort;
        this.image = image;
    }

    /** Builds the image once per machine (minutes) or returns the cached one. */
    public static Image image(Path checkout) throws IOException, InterruptedException {
        String out = Command.of(checkout.resolve("src-test/fixtures/armhf-vm-image.sh").toString()).timeout(Duration.ofMinutes(60)).mergeStderr().run().requireFinished()
                .requireOk().output().strip();
        return new Image(Path.of(out.substring(out.lastIndexOf('\n') + 1)));
    }

    /**
     * Starts the VM; returns once qemu runs (not once sshd answers: see {@link #awaitSsh}).
     *
     * @param forwards guest port on {@link #HOST_ALIAS} to test-machine port on 127.0.0.1
     */
    public static ArmVm boot(Image image, Path workDir, List<int[]> forwards) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path overlay = workDir.resolve("overlay.qcow2");
        Command.of("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw",
                "-b", image.disk().toString(), overlay.toString()).timeout(Duration.ofMinutes(1)).mergeStderr().run().requireOk();
        int sshPort = FreePort.pick();
        StringBuilder netdev = new StringBuilder("user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:" + sshPort + "-:22");
        for (int[] f : forwards) {
            // cmd: forwards spawn one process per guest connection (a chardev forward takes only one).
            netdev.append(",guestfwd=tcp:").append(HOST_ALIAS).append(':').append(f[0])
                    .append("-cmd:socat - TCP:127.0.0.1:").append(f[1]);
        }
        List<String> command = new ArrayList<>(List.of("qemu-system-arm", "-M", "virt", "-cpu", "cortex-a15",
                "-smp", "1", "-m", "1024", "-kernel", image.kernel().toString(), "-initrd", image.initrd().toString(),
                "-append", "root=/dev/vda rw console=ttyAMA0 panic=-1 quiet",
                "-drive", "if=none,file=" + overlay + ",format=qcow2,id=hd0", "-device", "virtio-blk-device,drive=hd0",
                "-netdev", netdev.toString(), "-device", "virtio-net-device,netdev=n0",
                "-display", "none", "-serial", "file:" + workDir.resolve("console.log"), "-monitor", "none",
                "-no-reboot"));
        Process qemu = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("qemu.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        return new ArmVm(qemu, workDir, sshPort, image);
    }

    public int sshPort() {
        return sshPort;
    }

    public Image image() {
        return image;
    }

    /** Waits until root can log in over SSH; fails early if qemu exits. */
    public void awaitSsh(Duration timeout) throws IOException, InterruptedException {
        CommandResult[] last = {null};
        Wait.upTo(timeout, "SSH on 127.0.0.1:" + sshPort).every(Duration.ofSeconds(1)).until(() -> {
            if (!qemu.isAlive()) {
                throw new IllegalStateException("qemu exited with " + qemu.exitValue() + ": " + log("qemu.log")
                        + "\nconsole:\n" + log("console.log"));
            }
            last[0] = ssh(Duration.ofSeconds(20), "true");
            return last[0].exitCode() == 0;
        }, () -> (last[0] == null ? "" : last[0].output()) + "\nconsole:\n" + log("console.log"));
    }

    /** Runs a shell command as root in the guest. */
    public CommandResult ssh(Duration timeout, String command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(sshOptions("ssh", "-p"));
        argv.add("root@127.0.0.1");
        argv.add(command);
        return Command.of(argv).timeout(timeout).mergeStderr().run().requireFinished();
    }

    /** Pulls {@code bytes} from the guest over SSH and throws them away: traffic on the guest's eth0. */
    public void pullTraffic(long bytes) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(sshOptions("ssh", "-p"));
        argv.add("root@127.0.0.1");
        argv.add("head -c " + bytes + " /dev/zero");
        Process p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("pulling " + bytes + " bytes over SSH did not finish in 3 minutes");
        }
    }

    /** Copies a guest file to the test machine. */
    public void copyFrom(String guestPath, Path local) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(sshOptions("scp", "-P"));
        argv.add("root@127.0.0.1:" + guestPath);
        argv.add(local.toString());
        Command.of(argv).timeout(Duration.ofMinutes(2)).mergeStderr().run().requireOk();
    }

    /** The guest's host keys as known_hosts lines for {@code [127.0.0.1]:port}, for strict checking. */
    public String knownHostsLines() throws IOException, InterruptedException {
        return Command.of("ssh-keyscan", "-p", Integer.toString(sshPort), "127.0.0.1").timeout(Duration.ofSeconds(60)).mergeStderr().run().requireFinished()
                .requireOk().output().lines().filter(l -> l.startsWith("[127.0.0.1]"))
                .reduce("", (a, b) -> a + b + "\n");
    }

    private List<String> sshOptions(String program, String portFlag) {
        // The VM's host keys are new on every image build; this harness's own session does not pin them
        // (the provisioner under test checks them strictly against knownHostsLines()).
        return List.of(program, "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10",
                "-i", image.key().toString(), portFlag, Integer.toString(sshPort));
    }

    private String log(String name) {
        try {
            String text = Files.readString(workDir.resolve(name), StandardCharsets.UTF_8);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no " + name + ")";
        }
    }


    /** Powers the VM off (qemu exits on SIGTERM; the overlay is thrown away with the work dir). */
    @Override
    public void close() throws InterruptedException {
        qemu.destroy();
        if (!qemu.waitFor(20, TimeUnit.SECONDS)) {
            qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
