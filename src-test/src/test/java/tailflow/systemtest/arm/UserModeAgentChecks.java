package tailflow.systemtest.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tailflow.agent.pipeline.Labels;
import tailflow.agent.sflow.SflowDecoder;
import tailflow.agent.sflow.record.CounterSample;
import tailflow.agent.sflow.record.GenericInterface;
import tailflow.agent.sflow.record.HostCpu;
import tailflow.agent.sflow.record.HostDescr;
import tailflow.agent.sflow.record.HostMemory;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.CommandResult;
import tailflow.systemtest.support.UdpCollector;
import tailflow.systemtest.support.Wait;
import tailflow.systemtest.support.FreePort;

/**
 * The agent as built by {@code mvn package}, run under QEMU user mode in a chroot of a Debian
 * ARM sysroot. One sysroot per class (unpacking it takes a second; the first build on a machine
 * ~30 s). Subclasses choose the architecture.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UserModeAgentChecks {

    /** Short runs: the interpreter starts fastest under emulation (measured: JIT tiers cost more than they save). */
    static final Map<String, String> SHORT_RUN = Map.of("TAILFLOW_JAVA_OPTS", "-Xint");

    ArmSysroot sysroot;

    abstract ArmArch arch();

    /** The Loki push encoding of the real run: Promtail's default, protobuf + snappy. */
    String pushEncoding() {
        return "protobuf";
    }

    @BeforeAll
    void openSysroot() throws Exception {
        sysroot = ArmSysroot.open(arch(), Path.of(System.getProperty("tailflow.root", "..")).toAbsolutePath().normalize());
        // What configs/agent.yaml's /var/log/*log glob must find (and must not) inside the sysroot.
        Path varLog = sysroot.hostPath("/var/log");
        Files.writeString(varLog.resolve("syslog"), "one\n");
        Files.writeString(varLog.resolve("auth.log"), "two\n");
        Files.writeString(varLog.resolve("notes.txt"), "not a log\n");
    }

    @AfterAll
    void closeSysroot() {
        if (sysroot != null) {
            sysroot.close();
        }
    }

    @Test
    void versionRunsOnTheEmulatedArmJvm() throws Exception {
        // The JVM must be the sysroot's ARM build, not the host's: uname and os.arch both say so.
        assertThat(sysroot.run(Duration.ofSeconds(30), Map.of(), "uname", "-m").requireOk().output().strip())
                .isEqualTo(arch().unameMachine());
        CommandResult props = sysroot.run(Duration.ofMinutes(1), Map.of(),
                ArmSysroot.JAVA_HOME + "/bin/java", "-Xint", "-XshowSettings:properties", "-version").requireOk();
        assertThat(props.output()).contains("os.arch = " + arch().javaOsArch());

        CommandResult version = sysroot.run(Duration.ofMinutes(2), SHORT_RUN, "packaging/bin/agent", "--version");
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output()).contains("tailflow agent");
    }

    @Test
    void dryRunShowsArmMachineNativeLibrariesAndGlobMatches() throws Exception {
        CommandResult dry = sysroot.run(Duration.ofMinutes(3), SHORT_RUN,
                "packaging/bin/agent", "--dry-run", "--config", "configs/agent.yaml");
        assertThat(dry.exitCode()).as(dry.output()).isZero();
        String out = dry.output();
        assertThat(out).as(out).contains("machine: " + arch().unameMachine());
        // JNA's dispatch library for this architecture loaded (not merely found on the classpath) ...
        assertThat(out).as(out).containsPattern("jna: \"?ok .*\\(" + arch().jnaResourcePrefix() + ", ");
        // ... and libpcap by the name Debian ships without -dev (the sysroot has no libpcap.so).
        assertThat(out).as(out).containsPattern("libpcap: \"?ok .*libpcap\\.so\\.0\\.8");
        assertThat(out).as(out).contains("- /var/log/syslog", "- /var/log/auth.log").doesNotContain("notes.txt");
    }


    /**
     * The agent for real under emulation: it tails a file on the sysroot's tmpfs into the Loki
     * receiver on 127.0.0.1 (every line, in order, with its labels), reports READY=1 through its
     * JNA sd_notify, sends host counters read from /proc as sFlow to a UDP collector on 127.0.0.1
     * (decoded by our decoder and, live off the loopback, by tshark), says once that live capture
     * is impossible in user mode (no ethtool ioctls), and stops with 0 on SIGTERM.
     */
    @Test
    void shipsLogsAndCountersAndSaysOnceThatCaptureIsImpossible() throws Exception {
        Path work = Files.createTempDirectory("tailflow-arm-run-");
        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0);
                UdpCollector collector = UdpCollector.onLoopback();
                LoopbackCapture capture = LoopbackCapture.start(work, collector.port(), Duration.ofSeconds(60));
                NotifyListener notify = NotifyListener.start(sysroot.hostPath("/run/tailflow-notify"), work.resolve("notify.txt"))) {
            String hostnameLabel = "arm-" + arch().debianArch();
            Files.createDirectories(sysroot.hostPath("/etc/tailflow"));
            Files.writeString(sysroot.hostPath("/etc/tailflow/arm.yaml"), """
                    server:
                      http_listen_address: 127.0.0.1
                      http_listen_port: %d
                    positions:
                      filename: /var/lib/tailflow/positions.yaml
                      sync_period: 1s
                    clients:
                      - url: %s
                        batchwait: 200ms
                        timeout: 60s
                        encoding: %s
                    scrape_configs:
                      - job_name: arm
                        static_configs:
                          - targets: [localhost]
                            labels:
                              job: armtest
                              hostname: %s
                              __path__: /var/log/arm/*.log
                    sflow:
                      polling: 2
                      collectors:
                        - ip: 127.0.0.1
                          udpport: %d
                      pcap:
                        - dev: lo
                    """.formatted(FreePort.pick(), loki.pushUrl(), pushEncoding(), hostnameLabel, collector.port()));
            Path log = sysroot.hostPath("/var/log/arm/app.log");
            Files.createDirectories(log.getParent());
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                expected.add("line " + i + " from " + arch().unameMachine());
            }
            Files.write(log, expected.subList(0, 25));

            long started = System.nanoTime();
            try (GuestProcess agent = sysroot.start(work.resolve("agent"), Map.of(
                    "TAILFLOW_JAVA_OPTS", "-XX:TieredStopAtLevel=1", "NOTIFY_SOCKET", "/run/tailflow-notify"),
                    "packaging/bin/agent", "--config", "/etc/tailflow/arm.yaml")) {
                await(agent, "READY=1 through sd_notify", Duration.ofMinutes(4), () -> notify.text().contains("READY=1"));
                lap(started, "READY=1");
                await(agent, "the first 25 lines", Duration.ofMinutes(2), () -> loki.storedCount() >= 25);
                Files.write(log, expected.subList(25, 40), StandardOpenOption.APPEND);
                await(agent, "all 40 lines", Duration.ofMinutes(2), () -> loki.storedCount() >= 40);
                lap(started, "40 lines in the receiver");
                // An agent uptime past the 10 s interface rescan: a capture retry would have logged again.
                await(agent, "a host counter sample after 12 s of agent uptime", Duration.ofMinutes(2),
                        () -> decode(collector.datagrams()).stream().anyMatch(d -> d.uptimeMs() >= 12_000 && hasHostSample(d)));
                lap(started, "host counters after 12 s uptime");
                assertThat(agent.stop(Duration.ofMinutes(1))).as("exit code on SIGTERM").isZero();
                lap(started, "exited on SIGTERM");
                String output = agent.stdout() + agent.stderr();
                assertThat(output.split("cannot capture on lo", -1)).as(output).hasSize(2);
            }

            List<LokiReceiver.Entry> entries = loki.entries();
            assertThat(entries).extracting(LokiReceiver.Entry::line).containsExactlyElementsOf(expected);
            assertThat(entries).allSatisfy(e -> assertThat(Labels.parse(e.labels()).asMap()).containsOnly(
                    Map.entry("job", "armtest"), Map.entry("hostname", hostnameLabel), Map.entry("filename", "/var/log/arm/app.log")));
            // (A push that outlived its timeout under a loaded emulator is resent; the receiver, like
            // Loki, keeps identical entries once: exactness is asserted on what it stored, above.)

            List<SflowDecoder.Datagram> datagrams = decode(collector.datagrams());
            assertThat(datagrams).allSatisfy(d -> assertThat(d.version()).isEqualTo(5));
            CounterSample host = datagrams.stream().flatMap(d -> d.counterSamples().stream())
                    .filter(c -> c.dsClass() == CounterSample.DS_HOST).reduce((a, b) -> b).orElseThrow();
            HostCpu cpu = record(host, HostCpu.class);
            HostMemory memory = record(host, HostMemory.class);
            HostDescr descr = record(host, HostDescr.class);
            assertThat(cpu.cpuNum()).isPositive();
            assertThat(cpu.uptimeSeconds()).isPositive();
            assertThat(memory.total()).isGreaterThan(memory.free()).isPositive();
            assertThat(descr.hostname()).isNotBlank();
            assertThat(descr.osName()).isEqualTo(HostDescr.OS_LINUX);

            // tshark decodes what went over the loopback; it must agree with our decoder on every
            // interface counter datagram (tshark 4.0 does not know the host records, 2000-2006).
            Map<Long, SflowDecoder.Datagram> bySequence = new HashMap<>();
            datagrams.forEach(d -> bySequence.put(d.sequence(), d));
            assertThat(capture.awaitFrames(datagrams.size(), Duration.ofSeconds(30)))
                    .as("tshark's pcap holds the %d datagrams the collector got", datagrams.size()).isTrue();
            List<List<String>> frames = capture.stopAndDecode("sflow_245.sequence_number", "sflow_245.ifindex", "sflow_245.ifinoct");
            assertThat(frames).hasSameSizeAs(datagrams);
            int compared = 0;
            for (List<String> f : frames) {
                SflowDecoder.Datagram d = bySequence.get(Long.parseLong(f.get(0)));
                assertThat(d).as("tshark frame %s", f).isNotNull();
                if (hasHostSample(d)) {
                    continue;
                }
                List<GenericInterface> ifs = d.counterSamples().stream().flatMap(c -> c.records().stream())
                        .filter(GenericInterface.class::isInstance).map(GenericInterface.class::cast).toList();
                assertThat(f.get(1)).isEqualTo(ifs.stream().map(g -> Long.toString(g.ifIndex())).collect(Collectors.joining(",")));
                assertThat(f.get(2)).isEqualTo(ifs.stream().map(g -> Long.toString(g.inOctets())).collect(Collectors.joining(",")));
                compared++;
            }
            assertThat(compared).as("interface counter datagrams compared with tshark").isPositive();
        } finally {
            deleteTree(work);
        }
    }

    private void lap(long startNanos, String what) {
        System.out.printf("arm %s real run: %s after %.1f s%n", arch().debianArch(), what, (System.nanoTime() - startNanos) / 1e9);
    }

    private static List<SflowDecoder.Datagram> decode(List<byte[]> raw) {
        return raw.stream().map(b -> SflowDecoder.decode(b, b.length)).toList();
    }

    private static boolean hasHostSample(SflowDecoder.Datagram d) {
        return d.counterSamples().stream().anyMatch(c -> c.dsClass() == CounterSample.DS_HOST);
    }

    private static <T> T record(CounterSample sample, Class<T> type) {
        return sample.records().stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + sample));
    }

    /** Waits for {@code condition}; fails early (with the agent's output) if the agent exits. */
    static void await(GuestProcess agent, String what, Duration timeout, Wait.Condition condition) throws Exception {
        Wait.upTo(timeout, what).every(Duration.ofMillis(250)).until(() -> {
            if (!agent.isAlive() && !condition.holds()) {
                throw new AssertionError("agent exited while waiting for " + what + "; output:\n" + agent.stdout() + agent.stderr());
            }
            return condition.holds();
        }, () -> "agent output:\n" + agent.stdout() + agent.stderr());
    }


    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A second copy of the checkout's build inside the sysroot whose JNA jar lacks this
     * architecture's native dispatch library, as a jar carrying only x86_64 natives would.
     *
     * @return the copy's directory inside the sysroot
     */
    String checkoutWithoutJnaNative() throws Exception {
        String broken = "/opt/tailflow-no-arm-native";
        Path brokenRoot = sysroot.hostPath(broken);
        Path checkout = sysroot.hostPath(ArmSysroot.CHECKOUT);
        Files.createDirectories(brokenRoot.resolve("agent/target/lib"));
        Files.createDirectories(brokenRoot.resolve("packaging/bin"));
        Files.copy(checkout.resolve("packaging/bin/agent"), brokenRoot.resolve("packaging/bin/agent"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(checkout.resolve("agent/target/agent.jar"), brokenRoot.resolve("agent/target/agent.jar"));
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(checkout.resolve("agent/target/lib"), "*.jar")) {
            for (Path jar : jars) {
                Path target = brokenRoot.resolve("agent/target/lib").resolve(jar.getFileName().toString());
                if (jar.getFileName().toString().startsWith("jna-")) {
                    int removed = JarSurgery.copyWithout(jar, target, "com/sun/jna/" + arch().jnaResourcePrefix() + "/");
                    assertThat(removed).as("native entries removed from " + jar.getFileName()).isPositive();
                } else {
                    Files.copy(jar, target);
                }
            }
        }
        return broken;
    }
}
