package tailflow.provisioner.apply;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tailflow.provisioner.bundle.Bundle;
import tailflow.provisioner.facts.FactsParser;
import tailflow.provisioner.facts.FactsScript;
import tailflow.provisioner.facts.HostFacts;
import tailflow.provisioner.plan.AgentConfigRenderer;
import tailflow.provisioner.plan.AgentSettings;
import tailflow.provisioner.plan.DesiredState;
import tailflow.provisioner.plan.HostPlan;
import tailflow.provisioner.plan.Planner;
import tailflow.provisioner.plan.Step;
import tailflow.provisioner.plan.StepKind;
import tailflow.provisioner.report.HostResult;
import tailflow.provisioner.report.HostStatus;
import tailflow.provisioner.report.Progress;
import tailflow.provisioner.report.StepResult;
import tailflow.provisioner.ssh.ExecResult;
import tailflow.provisioner.ssh.SshConnection;
import tailflow.provisioner.ssh.SshConnector;
import tailflow.provisioner.ssh.SshTarget;
import tailflow.provisioner.ssh.UnreachableException;

/**
 * Facts, plan, apply, verify (and rollback) for one host over one SSH connection: at most four
 * round trips (facts; apply with the bundle streamed in; verify; rollback only on failure).
 */
public final class HostRunner {

    /**
     * @param check         plan only, change nothing
     * @param diff          print unified diffs of text files (secrets masked)
     * @param installJava   plan a JRE install where java is missing (also per host: tailflow_install_java)
     * @param verifyTimeout how long the agent may take to become active and ready
     */
    public record Options(boolean check, boolean diff, boolean installJava, Duration verifyTimeout) {}

    private static final Duration FACTS_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration APPLY_TIMEOUT = Duration.ofMinutes(10);

    private final SshConnector connector;
    private final Bundle bundle;
    private final Options options;
    private final Progress progress;
    private final Clock clock;
    private final AgentConfigRenderer renderer = new AgentConfigRenderer();

    public HostRunner(SshConnector connector, Bundle bundle, Options options, Progress progress, Clock clock) {
        this.connector = connector;
        this.bundle = bundle;
        this.options = options;
        this.progress = progress;
        this.clock = clock;
    }

    public HostResult apply(String name, SshTarget target, AgentSettings settings) {
        long start = clock.millis();
        Outcome out = new Outcome(name);
        try (SshConnection c = connector.connect(target)) {
            run(c, settings, out);
        } catch (UnreachableException e) {
            progress.line(name, "connect", "UNREACHABLE", e.getMessage());
            out.status = HostStatus.UNREACHABLE;
            out.message = e.getMessage();
        } catch (IOException | RuntimeException e) {
            progress.line(name, out.phase, "FAILED", String.valueOf(e.getMessage()));
            out.status = HostStatus.FAILED;
            out.message = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return new HostResult(name, out.status, out.message, out.facts, out.steps, out.warnings, out.journal,
                clock.millis() - start);
    }

    /** What is known about the host so far; becomes the {@link HostResult}. */
    private static final class Outcome {
        final String host;
        HostStatus status = HostStatus.OK;
        /** Where the run is, for naming an unexpected failure. */
        String phase = "connect";
        String message = "";
        Map<String, String> facts = new LinkedHashMap<>();
        final List<StepResult> steps = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final List<String> journal = new ArrayList<>();

        Outcome(String host) {
            this.host = host;
        }

        void fail(String why) {
            status = HostStatus.FAILED;
            message = why;
        }
    }

    private void run(SshConnection c, AgentSettings settings, Outcome out) throws IOException {
        String name = out.host;
        out.phase = "facts";
        HostFacts facts = gatherFacts(c, bundle.releaseId());
        out.phase = "plan";
        out.facts = FactsSummary.of(facts);
        progress.line(name, "facts", "ok", facts.arch() + ", " + facts.osId() + " " + facts.osVersion() + ", java "
                + facts.javaDescription() + ", release " + facts.currentRelease().orElse("none") + ", unit "
                + facts.unit("ActiveState"));
        String config = renderer.render(settings, facts.hostname());
        DesiredState want = new DesiredState(bundle, config, bundle.unit(), renderer.renderDropIn(settings),
                options.installJava() || settings.installJava(), settings.httpPort());
        HostPlan plan = Planner.plan(name, facts, want);
        out.warnings.addAll(plan.warnings());
        plan.warnings().forEach(w -> progress.line(name, "warning", w, ""));
        if (plan.refusal().isPresent()) {
            progress.line(name, "plan", "FAILED", plan.refusal().get());
            out.fail(plan.refusal().get());
            return;
        }
        if (plan.empty()) {
            progress.line(name, "plan", "ok", "nothing to change");
            return;
        }
        for (Step s : plan.steps()) {
            if (options.check()) {
                progress.line(name, s.kind().label(), "would change", s.reason());
            }
            if (options.diff() && s.diff().isPresent()) {
                progress.block(s.diff().get());
            }
        }
        if (options.check()) {
            plan.steps().forEach(s -> out.steps.add(result(s, "planned")));
            out.status = HostStatus.CHANGED;
            out.message = plan.steps().size() + " step(s) would change";
            return;
        }
        out.phase = "apply";
        applyPlan(c, plan, want, out);
    }

    private HostFacts gatherFacts(SshConnection c, String release) throws IOException {
        ExecResult r = c.runAsRoot(FactsScript.script(release), FACTS_TIMEOUT);
        if (!r.ok() || !r.stdout().contains("tf_end=1")) {
            String err = r.stderr().strip();
            if (err.contains("sudo") && err.contains("password")) {
                err += " (sudo wants a password: rerun with -K)";
            }
            throw new IOException("gathering facts failed (exit " + r.exitCode() + "): " + err);
        }
        return FactsParser.parse(r.stdout());
    }

    private static final int UPLOAD_ATTEMPTS = 3;

    private void applyPlan(SshConnection c, HostPlan plan, DesiredState want, Outcome out) throws IOException {
        String name = out.host;
        Map<StepKind, Step> byKind = new LinkedHashMap<>();
        plan.steps().forEach(s -> byKind.put(s.kind(), s));
        Set<StepKind> done = EnumSet.noneOf(StepKind.class);
        String[] failure = {null};
        ExecResult r;
        for (int attempt = 1; ; attempt++) {
            done.clear();
            failure[0] = null;
            try (InputStream bundleIn = plan.has(StepKind.RELEASE) ? Files.newInputStream(bundle.file()) : InputStream.nullInputStream()) {
                r = c.runAsRoot(RemoteScripts.apply(plan, want), bundleIn, APPLY_TIMEOUT, line -> {
                    if (line.startsWith("@@step ")) {
                        StepKind k = StepKind.ofLabel(line.substring(7).strip());
                        done.add(k);
                        progress.line(name, k.label(), "changed", byKind.get(k).reason());
                    } else if (line.startsWith("@@fail ")) {
                        failure[0] = line.substring(7);
                    }
                });
            }
            // A bundle that arrives corrupted fails its sha256 check before anything is switched, and
            // the steps before it are idempotent: send it again, as the old role retried downloads.
            // (Seen in CI: one host of three, now and then; cause not yet found.)
            if (attempt < UPLOAD_ATTEMPTS && failure[0] != null && failure[0].startsWith("release uploaded bundle does not match")) {
                progress.line(name, "release", "retry", "bundle corrupted in transit, sending it again (attempt " + (attempt + 1) + ")");
                continue;
            }
            break;
        }
        for (Step s : plan.steps()) {
            out.steps.add(result(s, done.contains(s.kind()) ? "changed" : failure[0] != null
                    && failure[0].startsWith(s.kind().label() + " ") ? "failed" : "not run"));
        }
        if (!r.ok() || failure[0] != null) {
            String why = failure[0] != null ? failure[0] : "apply script exited " + r.exitCode() + ": " + r.stderr().strip();
            int space = why.indexOf(' ');
            if (failure[0] != null && space > 0) {
                progress.line(name, why.substring(0, space), "FAILED", why.substring(space + 1));
            } else {
                progress.line(name, "apply", "FAILED", why);
            }
            if (done.contains(StepKind.RESTART) || failure[0] != null && failure[0].startsWith("restart ")) {
                collectJournal(c, out);
                out.journal.forEach(j -> progress.line(name, "journal", j, ""));
            }
            out.fail(why + rollback(c, plan, done, out));
            return;
        }
        out.status = HostStatus.CHANGED;
        out.message = done.size() + " step(s) changed";
        if (done.contains(StepKind.RESTART)) {
            out.phase = "verify";
            verify(c, plan, want, done, out);
        }
    }

    private void verify(SshConnection c, HostPlan plan, DesiredState want, Set<StepKind> done, Outcome out) throws IOException {
        String name = out.host;
        String previous = plan.previousRelease().filter(p -> !p.equals(plan.release())).orElse("");
        ExecResult v = c.runAsRoot(RemoteScripts.verify(want.httpPort(), options.verifyTimeout(), plan.release(), previous),
                InputStream.nullInputStream(), options.verifyTimeout().plusSeconds(30), l -> { });
        List<String> lines = v.stdout().lines().toList();
        if (v.ok() && lines.stream().anyMatch(l -> l.startsWith("@@ready"))) {
            progress.line(name, "verify", "ok", "unit active, /ready answered 200");
            return;
        }
        String why = lines.stream().filter(l -> l.startsWith("@@notready ")).map(l -> l.substring(11)).findFirst()
                .orElse("verify exited " + v.exitCode() + ": " + v.stderr().strip());
        lines.stream().filter(l -> l.startsWith("@@journal ")).map(l -> l.substring(10)).forEach(out.journal::add);
        progress.line(name, "verify", "FAILED", why);
        out.journal.forEach(j -> progress.line(name, "journal", j, ""));
        out.fail("verify failed: " + why + rollback(c, plan, done, out));
    }

    private void collectJournal(SshConnection c, Outcome out) throws IOException {
        ExecResult j = c.runAsRoot("journalctl -u " + FactsScript.UNIT_NAME + " -n 20 --no-pager -o cat", FACTS_TIMEOUT);
        out.journal.addAll(j.stdout().lines().toList());
    }

    /** Runs the rollback and says in a few words what it achieved, for the failure message. */
    private String rollback(SshConnection c, HostPlan plan, Set<StepKind> done, Outcome out) throws IOException {
        ExecResult r = c.runAsRoot(RemoteScripts.rollback(plan, done), InputStream.nullInputStream(), APPLY_TIMEOUT, l -> { });
        String said = r.stdout().lines().filter(l -> l.startsWith("@@")).findFirst().orElse("@@rollback exit " + r.exitCode());
        String text;
        if (said.startsWith("@@rolledback ")) {
            text = "; rolled back to " + said.substring(13);
        } else if (said.startsWith("@@stopped")) {
            text = "; agent stopped (" + said.substring(10) + ")";
        } else {
            text = "; ROLLBACK FAILED: " + said.substring(2) + " " + r.stderr().strip();
        }
        progress.line(out.host, "rollback", said.startsWith("@@rolledback") || said.startsWith("@@stopped") ? "ok" : "FAILED",
                text.substring(2));
        return text;
    }

    private static StepResult result(Step s, String outcome) {
        return new StepResult(s.kind().label(), s.reason(), outcome, s.diff().orElse(""));
    }
}
