package tailflow.provisioner.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.agent.layout.InstallLayout;
import tailflow.provisioner.bundle.Bundle;
import tailflow.provisioner.bundle.BundleBuilder;
import tailflow.provisioner.bundle.TestCheckout;
import tailflow.provisioner.facts.FactsParser;
import tailflow.provisioner.install.TarballRelease;
import tailflow.provisioner.plan.AgentSettings;
import tailflow.provisioner.remote.RemoteScripts;
import tailflow.provisioner.report.HostResult;
import tailflow.provisioner.report.HostStatus;
import tailflow.provisioner.report.Progress;
import tailflow.provisioner.ssh.ExecResult;
import tailflow.provisioner.ssh.RemoteShell;
import tailflow.provisioner.ssh.SshTarget;
import tailflow.provisioner.ssh.UnreachableException;

/** The runner's orchestration against a scripted host: which scripts run, in what order, and what the result says. */
class HostRunnerTest {

    @TempDir
    Path tmp;

    private Bundle bundle;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final SshTarget target = new SshTarget("h1", "10.0.0.1", 22, "root", List.of(), false, Optional.empty());
    private final AgentSettings settings = new AgentSettings(List.of("http://loki:3100/loki/api/v1/push"), Optional.empty(),
            Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Map.of(), List.of("/var/log/*log"), Optional.empty(),
            9080, false, true);

    @BeforeEach
    void buildBundle() throws IOException {
        bundle = new BundleBuilder(TestCheckout.create(tmp.resolve("c"), "jar")).build(tmp.resolve("b"));
    }

    /** One call the runner made: what kind of script, and how many stdin bytes it sent with it. */
    private record Call(String kind, long stdinBytes) {}

    /** A host whose scripts answer with canned output; records every call. */
    private static final class ScriptedHost implements RemoteShell {
        final List<Call> calls = new ArrayList<>();
        final List<String> scripts = new ArrayList<>();
        String applyOutput = "";
        int applyExit = 0;
        String facts = FactsParser.BEGIN + "\narch=x86_64\nhostname=h1\nos_id=debian\nos_version=12\njava=17.0.9\n"
                + "libpcap=yes\npkg=apt-get\ncurrent=\nreleases=\nconfig=-\nunit=-\ndropin=-\nuser=no\n"
                + "unit_ActiveState=inactive\nunit_UnitFileState=\n" + FactsParser.END + "\n";

        @Override
        public ExecResult runAsRoot(String script, InputStream stdin, Duration timeout, Consumer<String> lines) throws IOException {
            long bytes = stdin.transferTo(OutputStreamSink.INSTANCE);
            String kind = script.contains(FactsParser.BEGIN) ? "facts"
                    : script.contains("@@rolledback") || script.contains("@@stopped") ? "rollback"
                    : script.startsWith("journalctl") ? "journal" : script.contains("\nstep ") ? "apply" : "verify";
            calls.add(new Call(kind, bytes));
            scripts.add(script);
            String out = switch (kind) {
                case "facts" -> facts;
                case "apply" -> applyOutput;
                case "rollback" -> "@@stopped no previous release to return to\n";
                default -> "agent: something went wrong\n";
            };
            out.lines().forEach(lines);
            int exit = kind.equals("apply") ? applyExit : 0;
            return new ExecResult(exit, out, "");
        }

        @Override
        public void close() {}
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }

    /** A clock that moves 5 ms each time it is read. */
    private static Clock ticking() {
        return new Clock() {
            private long now;

            @Override
            public ZoneId getZone() {
                return ZoneId.of("UTC");
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                now += 5;
                return Instant.ofEpochMilli(now);
            }
        };
    }

    private HostRunner runner(RemoteShell.Opener opener, boolean check) {
        RemoteScripts scripts = new RemoteScripts(InstallLayout.STANDARD, new TarballRelease(InstallLayout.STANDARD));
        return new HostRunner(opener, bundle, scripts, new HostRunner.Options(check, false, false, Duration.ofSeconds(5)),
                new Progress(new PrintStream(printed, true, StandardCharsets.UTF_8), false), ticking());
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static final String FRESH_INSTALL = String.join("\n", "@@step user", "@@uploaded 1", "@@step release", "@@step config",
            "@@step unit", "@@step switch", "@@step daemon-reload", "@@step enable", "@@step restart", "");

    @Test
    void aFreshHostGetsOneApplyWithTheBundleThatEndsWaitingForReadiness() {
        ScriptedHost host = new ScriptedHost();
        host.applyOutput = FRESH_INSTALL + "@@ready 200\n";
        HostResult r = runner(t -> host, false).apply("h1", target, settings);
        assertThat(r.status()).as(r.message()).isEqualTo(HostStatus.CHANGED);
        assertThat(host.calls).containsExactly(new Call("facts", 0), new Call("apply", bundle.size()));
        String apply = host.scripts.get(1);
        assertThat(apply.indexOf("ready_code()")).as("the readiness check follows the restart")
                .isGreaterThan(apply.indexOf("systemctl restart"));
        assertThat(r.steps()).allSatisfy(s -> assertThat(s.outcome()).isEqualTo("changed"));
        assertThat(r.timings()).containsOnlyKeys("connect", "facts", "upload", "unpack", "install", "restart", "verify");
        assertThat(printed()).contains("[h1] release: changed (release " + bundle.releaseId() + " missing)")
                .contains("[h1] verify: ok (unit active, /ready answered 200)");
    }

    @Test
    void aBundleThatFailsItsCheckFailsTheHostOnceWithoutResending() {
        ScriptedHost host = new ScriptedHost();
        host.applyOutput = "@@step user\n@@fail release uploaded bundle does not match sha256 " + bundle.sha256() + "\n";
        host.applyExit = 1;
        HostResult r = runner(t -> host, false).apply("h1", target, settings);
        assertThat(r.status()).isEqualTo(HostStatus.FAILED);
        assertThat(r.message()).startsWith("release uploaded bundle does not match sha256 " + bundle.sha256())
                .endsWith("; agent stopped (no previous release to return to)");
        assertThat(host.calls.stream().filter(c -> c.kind().equals("apply")).count()).as("apply runs").isEqualTo(1);
        assertThat(host.calls).extracting(Call::kind).containsExactly("facts", "apply", "rollback");
        assertThat(r.steps()).anySatisfy(s -> {
            assertThat(s.step()).isEqualTo("release");
            assertThat(s.outcome()).isEqualTo("failed");
        }).anySatisfy(s -> {
            assertThat(s.step()).isEqualTo("config");
            assertThat(s.outcome()).isEqualTo("not run");
        });
        assertThat(printed()).contains("[h1] release: FAILED (uploaded bundle does not match sha256");
    }

    @Test
    void aRestartThatFailsVerifyIsRolledBackWithTheJournal() {
        ScriptedHost host = new ScriptedHost();
        host.applyOutput = FRESH_INSTALL + "@@notready unit failed/failed (result exit-code), /ready answered -\n@@journal agent: boom\n";
        host.applyExit = 1;
        HostResult r = runner(t -> host, false).apply("h1", target, settings);
        assertThat(r.status()).isEqualTo(HostStatus.FAILED);
        assertThat(r.message()).isEqualTo("verify failed: unit failed/failed (result exit-code), /ready answered -"
                + "; agent stopped (no previous release to return to)");
        assertThat(r.journal()).containsExactly("agent: boom");
        assertThat(host.calls).extracting(Call::kind).containsExactly("facts", "apply", "rollback");
        assertThat(printed()).contains("[h1] verify: FAILED (unit failed/failed").contains("[h1] journal: agent: boom");
    }

    @Test
    void aRestartThatNeverReportsReadinessIsAFailureNotASuccess() {
        ScriptedHost host = new ScriptedHost();
        host.applyOutput = FRESH_INSTALL; // cut off after the restart, exit 0
        HostResult r = runner(t -> host, false).apply("h1", target, settings);
        assertThat(r.status()).isEqualTo(HostStatus.FAILED);
        assertThat(host.calls).extracting(Call::kind).containsExactly("facts", "apply", "journal", "rollback");
    }

    @Test
    void checkModeOnlyGathersFacts() {
        ScriptedHost host = new ScriptedHost();
        HostResult r = runner(t -> host, true).apply("h1", target, settings);
        assertThat(r.status()).isEqualTo(HostStatus.CHANGED);
        assertThat(r.steps()).allSatisfy(s -> assertThat(s.outcome()).isEqualTo("planned"));
        assertThat(host.calls).extracting(Call::kind).containsExactly("facts");
        assertThat(printed()).contains("[h1] config: would change (config missing)");
    }

    @Test
    void anUnreachableHostIsReportedAsSuch() {
        HostResult r = runner(t -> {
            throw new UnreachableException("cannot connect to root@10.0.0.1 after 3 attempts: ConnectException");
        }, false).apply("h1", target, settings);
        assertThat(r.status()).isEqualTo(HostStatus.UNREACHABLE);
        assertThat(printed()).contains("[h1] connect: UNREACHABLE (cannot connect to root@10.0.0.1");
    }

    @Test
    void factsOutputCutShortFailsTheHostNamingThePhase() {
        ScriptedHost host = new ScriptedHost();
        host.facts = FactsParser.BEGIN + "\narch=x86_64\n";
        HostResult r = runner(t -> host, false).apply("h1", target, settings);
        assertThat(r.status()).isEqualTo(HostStatus.FAILED);
        assertThat(r.message()).contains("gathering facts failed");
        assertThat(printed()).contains("[h1] facts: FAILED");
    }
}
