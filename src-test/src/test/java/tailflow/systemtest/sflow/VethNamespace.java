package tailflow.systemtest.sflow;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import tailflow.systemtest.support.Command;

/**
 * A network namespace this test creates, joined to the root namespace by a veth pair:
 * {@code tfsh<id>} (root side, 10.201.K.1/24, fe80::201:1) and {@code tfsn<id>} inside the namespace
 * (10.201.K.2/24, fe80::201:2). IPv6 uses link-local addresses only, so no traffic can leave the pair.
 * Processes started in the namespace are killed and the namespace deleted on close.
 */
final class VethNamespace implements AutoCloseable {
    final String ns;
    final String hostIf;
    final String nsIf;
    final int subnet;
    private final List<Process> processes = new ArrayList<>();

    /**
     * Name prefix of the namespace and veths (at most 4 characters: interface names end at 15), so that
     * runs of these tests that share a machine stay apart: -Dtailflow.it.netnsPrefix=perf.
     */
    static final String PREFIX = System.getProperty("tailflow.it.netnsPrefix", "tfs");

    /** The root-side veth's name for {@link #VethNamespace(int)}. */
    static String hostIf(int id) {
        return PREFIX + "h" + id;
    }

    VethNamespace() {
        this(randomId());
    }

    /** An id in 1..249 for {@link #VethNamespace(int)}: the interface will be {@link #hostIf(int)}. */
    static int randomId() {
        return ThreadLocalRandom.current().nextInt(1, 250);
    }

    VethNamespace(int id) {
        this.subnet = id;
        this.ns = PREFIX + "-ns" + id;
        this.hostIf = hostIf(id);
        this.nsIf = PREFIX + "n" + id;
        close(); // leftovers of a crashed earlier run with the same id
        try {
            Command.of("ip", "netns", "add", ns).mergeStderr().run().requireOk().stdout();
            Command.of("ip", "link", "add", hostIf, "type", "veth", "peer", "name", nsIf).mergeStderr().run().requireOk().stdout();
            Command.of("ip", "link", "set", nsIf, "netns", ns).mergeStderr().run().requireOk().stdout();
            Command.of("sysctl", "-qw", "net.ipv6.conf." + hostIf + ".accept_dad=0").mergeStderr().run().requireOk().stdout();
            Command.of("sysctl", "-qw", "net.ipv6.conf." + hostIf + ".router_solicitations=0").mergeStderr().run().requireOk().stdout();
            inNs("sysctl", "-qw", "net.ipv6.conf." + nsIf + ".accept_dad=0");
            inNs("sysctl", "-qw", "net.ipv6.conf." + nsIf + ".router_solicitations=0");
            Command.of("ip", "addr", "add", hostV4() + "/24", "dev", hostIf).mergeStderr().run().requireOk().stdout();
            Command.of("ip", "-6", "addr", "add", "fe80::201:1/64", "dev", hostIf, "nodad").mergeStderr().run().requireOk().stdout();
            inNs("ip", "addr", "add", nsV4() + "/24", "dev", nsIf);
            inNs("ip", "-6", "addr", "add", "fe80::201:2/64", "dev", nsIf, "nodad");
            inNs("ip", "link", "set", "lo", "up");
            inNs("ip", "link", "set", nsIf, "up");
            Command.of("ip", "link", "set", hostIf, "up").mergeStderr().run().requireOk().stdout();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    String hostV4() {
        return "10.201." + subnet + ".1";
    }

    String nsV4() {
        return "10.201." + subnet + ".2";
    }

    InetAddress nsAddress() throws IOException {
        return InetAddress.getByName(nsV4());
    }

    /** fe80::201:2 scoped to our side of the pair. */
    InetAddress nsAddress6() throws IOException {
        return Inet6Address.getByAddress(null, InetAddress.getByName("fe80::201:2").getAddress(),
                NetworkInterface.getByName(hostIf));
    }

    String inNs(String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(command));
        return Command.of(c).mergeStderr().run().requireOk().stdout();
    }

    /** Starts a long-running process inside the namespace; killed on close. */
    Process spawnInNs(String... command) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(command));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        processes.add(p);
        return p;
    }

    /** rx_packets + tx_packets of the root-side interface, from sysfs. */
    long hostPackets() throws IOException {
        return stat("rx_packets") + stat("tx_packets");
    }

    long stat(String name) throws IOException {
        return Long.parseLong(Files.readString(Path.of("/sys/class/net", hostIf, "statistics", name)).trim());
    }

    int hostIfIndex() throws IOException {
        return Integer.parseInt(Files.readString(Path.of("/sys/class/net", hostIf, "ifindex")).trim());
    }

    /** Deletes the pair now (the "interface disappears mid-run" case). */
    void deleteLink() {
        Command.of("ip", "link", "del", hostIf).mergeStderr().run();
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Command.of("ip", "link", "del", hostIf).mergeStderr().run();
        Command.of("ip", "netns", "del", ns).mergeStderr().run();
    }
}
