package tailflow.systemtest.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tailflow.agent.pipeline.Labels;
import tailflow.agent.sflow.SflowDecoder;
import tailflow.agent.sflow.record.CounterSample;
import tailflow.agent.sflow.record.FlowSample;
import tailflow.agent.sflow.record.HostCpu;
import tailflow.agent.sflow.record.HostDescr;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.Command;
import tailflow.systemtest.support.Wait;

/**
 * On demand ({@code -Dtailflow.arm.vm=true}, or src-test/bench/arm/armhf-vm.sh): a full Debian
 * armhf system under qemu-system-arm, provisioned exactly as an x86_64 host is, by the packaged
 * provisioner over SSH: facts say armv7l, apply installs the bundle and the unit, systemd runs the
 * agent as user tailflow, the agent ships a file to the receiver on this machine (guestfwd),
 * samples the VM's eth0 through libpcap into flow samples, and a second apply changes nothing.
 * Prints the wall time of every stage and writes them to target/arm-vm-stages.txt.
 */
@EnabledIfSystemProperty(named = "tailflow.arm.vm", matches = "true")
class ArmVmIT {
    private static final int GUEST_LOKI_PORT = 3100;
    private static final int GUEST_SFLOW_PORT = 6343;
    private static final String LOG = "/var/log/tailflow-armvm.log";

    @Test
    void provisionerRollsTheAgentOutToAnArmv7SystemdHost() throws Exception {
        Path checkout = Path.of(System.getProperty("tailflow.root", "..")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("tailflow-arm-vm-");
        StageTimer t = new StageTimer(Path.of("target", "arm-vm-stages.txt"));
        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0)) {
            ArmVm.Image image = t.stage("image (built once, cached)", () -> ArmVm.image(checkout));
            ArmVm vm = t.stage("qemu start", () -> ArmVm.boot(image, work.resolve("vm"),
                    List.<int[]>of(new int[] {GUEST_LOKI_PORT, loki.pushUrl().getPort()})));
            try (vm) {
                t.stage("boot until root logs in (ssh)", () -> {
                    vm.awaitSsh(Duration.ofMinutes(6));
                    return null;
                });
                assertThat(sh(vm, "uname -m")).isEqualTo("armv7l");
                // virtio-net reports no link speed (-1), and the provisioner's pcap { speed=1- } (as the
                // lab's hsflowd.conf) samples only links with one: give eth0 the speed a real NIC reports,
                // the way a host would (a systemd .link file, applied by udev's net_setup_link).
                assertThat(sh(vm, "printf '[Match]\\nOriginalName=eth*\\n\\n[Link]\\nBitsPerSecond=100M\\nDuplex=full\\n'"
                        + " > /etc/systemd/network/10-tailflow-speed.link"
                        + " && udevadm test-builtin net_setup_link /sys/class/net/eth0 >/dev/null 2>&1; cat /sys/class/net/eth0/speed"))
                        .isEqualTo("100");

                Path home = Files.createDirectories(work.resolve("home"));
                Path knownHosts = work.resolve("known_hosts");
                Files.writeString(knownHosts, vm.knownHostsLines());
                Path inventory = work.resolve("armvm.ini");
                Files.writeString(inventory, """
                        [armvm]
                        tailflow-armvm ansible_host=127.0.0.1 ansible_port=%d ansible_user=root ansible_ssh_private_key_file=%s

                        [armvm:vars]
                        tailflow_loki_url=http://%s:%d/loki/api/v1/push
                        tailflow_sflow_collectors=127.0.0.1:%d
                        tailflow_polling=5
                        """.formatted(vm.sshPort(), image.key(), ArmVm.HOST_ALIAS, GUEST_LOKI_PORT, GUEST_SFLOW_PORT));
                List<String> common = List.of("-i", inventory.toString(), "--known-hosts", knownHosts.toString());

                Run facts = t.stage("provisioner facts", () -> provisioner(checkout, home, "facts", common));
                assertThat(facts.exitCode()).as(facts.output()).isZero();
                assertThat(facts.output()).contains("armv7l");

                Run first = t.stage("provisioner apply (install)", () -> provisioner(checkout, home, "apply", common,
                        "--source", checkout.toString(), "--verify-timeout", "600"));
                assertThat(first.exitCode()).as(first.output()).isZero();
                assertThat(first.output()).contains("[tailflow-armvm] verify: ok");
                assertThat(sh(vm, "systemctl is-active tailflow-agent")).isEqualTo("active");
                String pid = sh(vm, "systemctl show tailflow-agent -p MainPID --value");
                assertThat(sh(vm, "stat -c %U /proc/" + pid)).isEqualTo("tailflow");
                String invocation = sh(vm, "systemctl show tailflow-agent -p InvocationID --value");

                sh(vm, "nohup tcpdump -i lo -U -w /root/sflow.pcap udp port " + GUEST_SFLOW_PORT
                        + " >/root/tcpdump.log 2>&1 </dev/null & echo $! > /root/tcpdump.pid");
                List<String> lines = new ArrayList<>();
                for (int i = 1; i <= 20; i++) {
                    lines.add("armv7 vm line " + i);
                }
                t.stage("ship a file to the receiver", () -> {
                    sh(vm, "printf '%s\\n' " + String.join(" ", lines.stream().map(l -> "'" + l + "'").toList()) + " >> " + LOG);
                    Wait.upTo(Duration.ofMinutes(3), "20 lines from " + LOG).until(() -> fromFile(loki, LOG).size() >= lines.size(), () -> journal(vm));
                    return null;
                });
                List<LokiReceiver.Entry> shipped = fromFile(loki, LOG);
                assertThat(shipped).extracting(LokiReceiver.Entry::line).containsExactlyElementsOf(lines);
                assertThat(Labels.parse(shipped.get(0).labels()).asMap()).containsEntry("hostname", "tailflow-armvm")
                        .containsEntry("job", "varlogs").containsEntry("filename", LOG);

                Path pcap = work.resolve("sflow.pcap");
                List<SflowDecoder.Datagram> datagrams = t.stage("live pcap flow samples on eth0", () -> {
                    List<SflowDecoder.Datagram> got = new ArrayList<>();
                    Wait.upTo(Duration.ofMinutes(4), "flow samples in the sFlow recorded inside the VM").until(() -> {
                        vm.pullTraffic(2_000_000);
                        vm.copyFrom("/root/sflow.pcap", pcap);
                        got.clear();
                        PcapReader.udpPayloads(pcap).forEach(b -> got.add(SflowDecoder.decode(b, b.length)));
                        return got.stream().anyMatch(d -> !d.flowSamples().isEmpty())
                                && got.stream().anyMatch(d -> d.counterSamples().stream().anyMatch(c -> c.dsClass() == CounterSample.DS_HOST));
                    }, () -> journal(vm));
                    return got;
                });
                String eth0 = sh(vm, "cat /sys/class/net/eth0/ifindex");
                List<FlowSample> flows = datagrams.stream().flatMap(d -> d.flowSamples().stream()).toList();
                // the plan's rate for a link of known speed: speed / 1 Mb/s, at least 100
                assertThat(flows).allSatisfy(f -> assertThat(f.samplingRate()).isEqualTo(100));
                assertThat(flows).anySatisfy(f -> assertThat(Long.toString(f.dsIndex())).isEqualTo(eth0));
                CounterSample host = datagrams.stream().flatMap(d -> d.counterSamples().stream())
                        .filter(c -> c.dsClass() == CounterSample.DS_HOST).findFirst().orElseThrow();
                HostDescr descr = host.records().stream().filter(HostDescr.class::isInstance).map(HostDescr.class::cast).findFirst().orElseThrow();
                HostCpu cpu = host.records().stream().filter(HostCpu.class::isInstance).map(HostCpu.class::cast).findFirst().orElseThrow();
                assertThat(descr.machineType()).as("host_descr machine_type").isEqualTo(HostDescr.MACHINE_ARM);
                assertThat(descr.hostname()).isEqualTo("tailflow-armvm");
                assertThat(cpu.cpuNum()).isEqualTo(1);
                String tshark = Command.of("tshark", "-r", pcap.toString(), "-d",
                        "udp.port==" + GUEST_SFLOW_PORT + ",sflow", "-Y", "sflow.flow_sample.sampling_rate == 100",
                        "-T", "fields", "-e", "sflow.flow_sample.input_interface_value").timeout(Duration.ofMinutes(1)).mergeStderr().run().requireOk().output();
                assertThat(tshark.lines().filter(l -> !l.isBlank() && !l.startsWith("Running as")).count())
                        .as("frames tshark decodes as flow samples at 1-in-100").isPositive();
                System.out.printf("arm-vm: %d datagrams, %d flow samples, machine_type %d, cpu MHz %d; /proc/cpu/alignment: %s%n",
                        datagrams.size(), flows.size(), descr.machineType(), cpu.cpuSpeedMhz(),
                        sh(vm, "tr '\\n' ' ' < /proc/cpu/alignment"));

                Run second = t.stage("provisioner apply (no-op)", () -> provisioner(checkout, home, "apply", common,
                        "--source", checkout.toString(), "--verify-timeout", "600"));
                assertThat(second.exitCode()).as(second.output()).isZero();
                assertThat(second.output()).contains("[tailflow-armvm] plan: ok (nothing to change)")
                        .contains("tailflow-armvm : ok=1 changed=0");
                assertThat(sh(vm, "systemctl show tailflow-agent -p InvocationID --value")).as("not restarted").isEqualTo(invocation);
            }
        } finally {
            UserModeAgentChecks.deleteTree(work);
        }
    }

    private static List<LokiReceiver.Entry> fromFile(LokiReceiver loki, String file) {
        return loki.entries().stream().filter(e -> file.equals(Labels.parse(e.labels()).asMap().get("filename"))).toList();
    }

    private static String sh(ArmVm vm, String command) throws IOException, InterruptedException {
        return vm.ssh(Duration.ofMinutes(2), command).requireOk().output().strip();
    }

    private static String journal(ArmVm vm) throws IOException, InterruptedException {
        return "agent journal:\n" + vm.ssh(Duration.ofMinutes(1), "journalctl -u tailflow-agent --no-pager -n 40").output();
    }

    /** The outcome of one provisioner command. */
    record Run(int exitCode, String output) {}

    /** Runs the packaged provisioner with its own home, so this machine's ~/.ssh never leaks in. */
    private static Run provisioner(Path checkout, Path home, String command, List<String> common, String... extra)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(checkout.resolve("packaging/bin/provisioner").toString(), command));
        argv.addAll(common);
        argv.addAll(List.of(extra));
        Path out = home.resolve(command + "-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(Map.of("HOME", home.toString(), "TAILFLOW_JAVA_OPTS", "-Duser.home=" + home));
        Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("provisioner " + command + " did not finish in 20 minutes");
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        System.out.println("$ provisioner " + String.join(" ", argv.subList(1, argv.size())) + "\n" + text + "(exit " + p.exitValue() + ")");
        return new Run(p.exitValue(), text);
    }
}
