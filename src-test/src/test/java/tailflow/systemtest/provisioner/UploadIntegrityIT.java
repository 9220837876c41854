package tailflow.systemtest.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tailflow.agent.layout.InstallLayout;
import tailflow.provisioner.bundle.Bundle;
import tailflow.provisioner.bundle.BundleBuilder;
import tailflow.provisioner.install.TarballRelease;
import tailflow.provisioner.plan.DesiredState;
import tailflow.provisioner.plan.HostPlan;
import tailflow.provisioner.plan.Step;
import tailflow.provisioner.plan.StepKind;
import tailflow.provisioner.remote.ApplyReport;
import tailflow.provisioner.remote.RemoteScripts;
import tailflow.provisioner.ssh.ExecResult;
import tailflow.provisioner.ssh.KnownHosts;
import tailflow.provisioner.ssh.SshConnection;
import tailflow.provisioner.ssh.SshConnector;
import tailflow.provisioner.ssh.SshOptions;
import tailflow.provisioner.ssh.SshTarget;
import tailflow.systemtest.hosts.HostImage;
import tailflow.systemtest.hosts.TestHost;
import tailflow.systemtest.hosts.TestHosts;

/**
 * Issue 14's integrity proof: the apply's release step (the production script, the production
 * SSH path, the bundle streamed on stdin and checked by size and sha256 on the host) run many
 * times against hosts in parallel, one connection per host as an apply uses. Every upload must
 * arrive whole at the first try: zero mismatches, zero resends (the apply sends a bundle once).
 *
 * <p>CI runs a small version (3 hosts, 24 uploads). The full one, on demand:
 * {@code mvn -B -pl src-test -am verify -Dit.test=UploadIntegrityIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtailflow.upload.hosts=10 -Dtailflow.upload.count=200}
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadIntegrityIT {

    private static final int HOSTS = Integer.getInteger("tailflow.upload.hosts", 3);
    private static final int UPLOADS = Integer.getInteger("tailflow.upload.count", 24);
    /** The real bundle is ~10 MB; padding makes sure the test sends at least that much per upload. */
    private static final long MIN_BUNDLE_BYTES = 10L * 1024 * 1024;
    private static final int FIRST_HOST = 21;

    private TestHosts hosts;
    private Path work;
    private SshConnector connector;

    @BeforeAll
    void boot() throws IOException {
        assertThat(HOSTS).as("hosts 21..49 are this test's").isBetween(1, 29);
        work = Files.createTempDirectory("upload-integrity");
        hosts = TestHosts.boot(IntStream.range(FIRST_HOST, FIRST_HOST + HOSTS).boxed().toList());
        connector = new SshConnector(new KnownHosts(List.of(hosts.knownHostsFile()), hosts.knownHostsFile(), false),
                SshOptions.defaults());
    }

    @AfterAll
    void teardown() throws IOException {
        try {
            if (hosts != null) {
                hosts.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static SshTarget target(TestHost h) {
        return new SshTarget(h.name(), h.address(), 22, "root", List.of(h.privateKey()), false, Optional.empty());
    }

    /**
     * The cause itself, made to happen: a reader that starts late lets the server's window run
     * out, and SSHJ's close() used to drop what it still buffered then (about one upload in five
     * lost its tail). Every byte must arrive, whatever the window does.
     */
    @Test
    void aLateReaderStillGetsEveryByte() throws Exception {
        byte[] data = new byte[3_000_000];
        new Random(14).nextBytes(data);
        String want = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        List<String> wrong = new ArrayList<>();
        int tries = 20;
        try (SshConnection c = connector.connect(target(hosts.get(0)))) {
            for (int i = 0; i < tries; i++) {
                ExecResult r = c.runAsRoot("sleep 0.3; sha256sum | cut -c1-64", new java.io.ByteArrayInputStream(data),
                        Duration.ofMinutes(1), l -> { });
                if (!r.ok() || !r.stdout().strip().equals(want)) {
                    wrong.add("try " + i + ": " + r.stdout().strip() + " " + r.stderr().strip());
                }
            }
        }
        System.out.printf("UploadIntegrityIT: late reader: %d of %d transfers arrived changed%n", wrong.size(), tries);
        assertThat(wrong).as("transfers whose sha256 on the host differs").isEmpty();
    }

    @Test
    void everyUploadArrivesWholeAtTheFirstTry() throws Exception {
        {
            Bundle bundle = paddedBundle(work);
            assertThat(bundle.size()).isGreaterThanOrEqualTo(MIN_BUNDLE_BYTES);
            RemoteScripts scripts = new RemoteScripts(InstallLayout.STANDARD, new TarballRelease(InstallLayout.STANDARD));
            HostPlan plan = new HostPlan("stress", List.of(Step.of(StepKind.RELEASE, "stress")), List.of(), Optional.empty(),
                    Optional.empty(), bundle.releaseId());
            String script = scripts.apply(plan, new DesiredState(bundle, "", "", "", false, 9080));

            AtomicInteger next = new AtomicInteger();
            AtomicInteger sent = new AtomicInteger();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(HOSTS);
            try {
                List<Future<?>> jobs = new ArrayList<>();
                for (TestHost h : hosts.hosts()) {
                    jobs.add(pool.submit(() -> {
                        try (SshConnection c = connector.connect(target(h))) {
                            while (next.getAndIncrement() < UPLOADS) {
                                sent.incrementAndGet();
                                ApplyReport report = new ApplyReport(m -> { });
                                ExecResult r;
                                try (InputStream in = Files.newInputStream(bundle.file())) {
                                    r = c.runAsRoot(script, in, Duration.ofMinutes(5), report);
                                }
                                if (!r.ok() || !report.done(StepKind.RELEASE) || report.uploadedBytes() != bundle.size()) {
                                    problems.add(h.name() + ": " + report.failure().map(f -> f.why()).orElse("exit " + r.exitCode())
                                            + " " + r.stderr().strip());
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : jobs) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("UploadIntegrityIT: %d uploads of %d bytes to %d hosts in %.1f s (%.1f MB/s), %d failed;"
                            + " load average %s%n", sent.get(), bundle.size(), HOSTS, seconds,
                    sent.get() * (double) bundle.size() / 1e6 / seconds, problems.size(),
                    Files.readString(Path.of("/proc/loadavg")).strip());
            assertThat(problems).as("uploads that did not arrive whole").isEmpty();
            assertThat(sent.get()).as("one send per upload, no resends").isEqualTo(UPLOADS);
        }
    }

    /**
     * The bundle of the checkout's release inputs plus, when it comes to less than the 10 MB the
     * issue asks for, a jar of random (incompressible) bytes that tops it up.
     */
    private static Bundle paddedBundle(Path work) throws IOException {
        Path root = HostImage.checkoutRoot();
        Path c = work.resolve("checkout");
        Files.createDirectories(c.resolve("agent/target/lib"));
        Files.createDirectories(c.resolve("packaging/bin"));
        for (String f : List.of("agent/target/agent.jar", "packaging/bin/agent", "packaging/tailflow-agent.service")) {
            Files.copy(root.resolve(f), c.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        try (Stream<Path> jars = Files.list(root.resolve("agent/target/lib"))) {
            for (Path j : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(j, c.resolve("agent/target/lib").resolve(j.getFileName()));
            }
        }
        Bundle plain = new BundleBuilder(c).build(work.resolve("plain"));
        long padding = MIN_BUNDLE_BYTES + 64 * 1024 - plain.size();
        if (padding > 0) {
            byte[] chunk = new byte[64 * 1024];
            Random random = new Random(14);
            try (OutputStream out = Files.newOutputStream(c.resolve("agent/target/lib/zz-upload-padding.jar"))) {
                for (long left = padding; left > 0; left -= chunk.length) {
                    random.nextBytes(chunk);
                    out.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
            }
        }
        return new BundleBuilder(c).build(work.resolve("bundles"));
    }
}
