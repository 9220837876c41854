package tailflow.provisioner.apply;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tailflow.provisioner.bundle.ArchBundles;
import tailflow.provisioner.bundle.Bundle;
import tailflow.provisioner.facts.FactsParser;
import tailflow.provisioner.facts.HostFacts;
import tailflow.provisioner.plan.AgentConfigRenderer;
import tailflow.provisioner.plan.AgentSettings;
import tailflow.provisioner.plan.DesiredState;
import tailflow.provisioner.plan.HostPlan;
import tailflow.provisioner.plan.Step;
import tailflow.provisioner.plan.StepKind;
import tailflow.provisioner.remote.ApplyReport;
import tailflow.provisioner.remote.FactsScript;
import tailflow.provisioner.remote.Marker;
import tailflow.provisioner.remote.RemoteScripts;
import tailflow.provisioner.remote.RollbackReport;
import tailflow.provisioner.remote.VerifyReport;
import tailflow.provisioner.report.HostResult;
import tailflow.provisioner.report.HostStatus;
import tailflow.provisioner.report.Progress;
import tailflow.provisioner.report.StepResult;
import tailflow.provisioner.ssh.ExecResult;
import tailflow.provisioner.ssh.RemoteShell;
import tailflow.provisioner.ssh.SshTarget;
import tailflow.provisioner.ssh.UnreachableException;

/**
 * Facts, plan, apply, verify (and rollback) for one host over one connection: two round trips
 * (facts; apply with the bundle streamed in, ending in the readiness check when it restarts the
 * agent), a third only to roll back. What the
 * scripts say is read by {@code remote}'s reports; what is printed is {@link ApplyProgress}'s.
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

    private final RemoteShell.Opener opener;
    private final ArchBundles bundles;
    private final RemoteScripts scripts;
    private final Options options;
    private final ApplyProgress progress;
    private final Clock clock;
    private final AgentConfigRenderer renderer = new AgentConfigRenderer();

    /** Every host gets {@code bundle} as it is. */
    public HostRunner(RemoteShell.Opener opener, Bundle bundle, RemoteScripts scripts, Options options, Progress progress,
                      Clock clock) {
        this(opener, ArchBundles.same(bundle), scripts, options, progress, clock);
    }

    /** Each host gets the bundle for its architecture. */
    public HostRunner(RemoteShell.Opener opener, ArchBundles bundles, RemoteScripts scripts, Options options, Progress progress,
                      Clock clock) {
        this.opener = opener;
        this.bundles = bundles;
        this.scripts = scripts;
        this.options = options;
        this.progress = new ApplyProgress(progress);
        this.clock = clock;
    }

    public HostResult apply(String name, SshTarget target, AgentSettings settings) {
        long start = clock.millis();
        PhaseTimes times = new PhaseTimes(clock);
        HostOutcome out = new HostOutcome(name);
        try (RemoteShell shell = opener.open(target)) {
            times.end("connect");
            run(shell, settings, out, times);
        } catch (UnreachableException e) {
            progress.unreachable(name, e.getMessage());
            out.status = HostStatus.UNREACHABLE;
            out.message = e.getMessage();
        } catch (IOException | RuntimeException e) {
            progress.failed(name, out.phase, String.valueOf(e.getMessage()));
            out.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return out.result(clock.millis() - start, times.snapshot());
    }

    private void run(RemoteShell shell, AgentSettings settings, HostOutcome out, PhaseTimes times) throws IOException {
        String name = out.host;
        enter(out, "facts");
        HostFacts facts = gatherFacts(shell);
        times.end("facts");
        enter(out, "plan");
        out.facts = FactsSummary.of(facts);
        progress.facts(name, facts);
        Bundle bundle = bundles.forMachine(facts.arch());
        DesiredState want = new DesiredState(bundle, renderer.render(settings, facts.hostname()), bundle.unit(),
                renderer.renderDropIn(settings), options.installJava() || settings.installJava(), settings.httpPort());
        HostPlan plan = scripts.plan(name, facts, want);
        out.warnings.addAll(plan.warnings());
        plan.warnings().forEach(w -> progress.warning(name, w));
        if (plan.refusal().isPresent()) {
            progress.failed(name, "plan", plan.refusal().get());
            out.fail(plan.refusal().get());
            return;
        }
        if (plan.empty()) {
            progress.nothingToChange(name);
            return;
        }
        for (Step s : plan.steps()) {
            if (options.check()) {
                progress.wouldChange(name, s);
            }
            if (options.diff() && s.diff().isPresent()) {
                progress.diff(s.diff().get());
            }
        }
        if (options.check()) {
            plan.steps().forEach(s -> out.steps.add(result(s, "planned")));
            out.changed(plan.steps().size() + " step(s) would change");
            return;
        }
        enter(out, "apply");
        times.restart();
        ApplyReport report = runApply(shell, plan, want, out, times);
        if (report == null) {
            return;
        }
        out.changed(report.done().size() + " step(s) changed");
    }

    private HostFacts gatherFacts(RemoteShell shell) throws IOException {
        ExecResult r = shell.runAsRoot(FactsScript.script(scripts.layout(), scripts.unitFile(), bundles.full().releaseId()), FACTS_TIMEOUT);
        if (!r.ok() || !r.stdout().contains(FactsParser.END)) {
            String err = r.stderr().strip();
            if (err.contains("sudo") && err.contains("password")) {
                err += " (sudo wants a password: rerun with -K)";
            }
            throw new IOException("gathering facts failed (exit " + r.exitCode() + "): " + err);
        }
        return FactsParser.parse(r.stdout());
    }

    /** Runs the apply script once (the bundle streamed in when the plan installs a release); null when the host failed. */
    private ApplyReport runApply(RemoteShell shell, HostPlan plan, DesiredState want, HostOutcome out, PhaseTimes times)
            throws IOException {
        String name = out.host;
        Map<StepKind, Step> byKind = new LinkedHashMap<>();
        plan.steps().forEach(s -> byKind.put(s.kind(), s));
        List<StepKind> order = List.copyOf(byKind.keySet());
        progress.phase(name, order.get(0) == StepKind.RELEASE ? "upload" : order.get(0).label());
        ApplyReport report = new ApplyReport(marker -> {
            if (marker instanceof Marker.Uploaded) {
                times.end("upload");
                progress.phase(name, "unpack");
            } else if (marker instanceof Marker.StepDone d) {
                times.end(d.step() == StepKind.RELEASE ? "unpack" : d.step() == StepKind.RESTART ? "restart" : "install");
                progress.changed(name, byKind.get(d.step()));
                int next = order.indexOf(d.step()) + 1;
                progress.phase(name, next < order.size() ? order.get(next).label() : "verify");
            } else if (marker instanceof Marker.Ready || marker instanceof Marker.NotReady) {
                times.end("verify");
            }
        });
        // A restart is verified by the same script, right after it: one round trip less per host.
        String script = scripts.apply(plan, want) + (plan.has(StepKind.RESTART) ? scripts.readiness(want.httpPort(),
                options.verifyTimeout(), plan.release(), plan.previousRelease().filter(p -> !p.equals(plan.release())).orElse(""))
                : "");
        ExecResult r;
        try (InputStream payload = plan.has(StepKind.RELEASE) ? Files.newInputStream(scripts.payload(want.bundle())) : InputStream.nullInputStream()) {
            r = shell.runAsRoot(script, payload, APPLY_TIMEOUT.plus(options.verifyTimeout()), report);
        }
        Optional<Marker.StepFailed> failure = report.failure();
        for (Step s : plan.steps()) {
            out.steps.add(result(s, report.done(s.kind()) ? "changed"
                    : failure.isPresent() && failure.get().step() == s.kind() ? "failed" : "not run"));
        }
        Optional<VerifyReport> verified = report.verification();
        if (failure.isEmpty() && verified.isPresent() && !verified.get().ready()) {
            VerifyReport v = verified.get();
            out.journal.addAll(v.journal());
            progress.failed(name, "verify", v.detail());
            progress.journal(name, v.journal());
            out.fail("verify failed: " + v.detail() + rollback(shell, plan, report, out));
            return null;
        }
        if (r.ok() && failure.isEmpty() && (verified.isPresent() || !plan.has(StepKind.RESTART))) {
            verified.ifPresent(v -> progress.verified(name, v.detail()));
            return report;
        }
        String why;
        if (failure.isPresent()) {
            why = failure.get().step().label() + " " + failure.get().why();
            progress.failed(name, failure.get().step().label(), failure.get().why());
        } else {
            why = "apply script exited " + r.exitCode() + ": " + r.stderr().strip();
            progress.failed(name, "apply", why);
        }
        if (report.done(StepKind.RESTART) || failure.map(f -> f.step() == StepKind.RESTART).orElse(false)) {
            progress.phase(name, "journal");
            ExecResult j = shell.runAsRoot(scripts.journal(20), FACTS_TIMEOUT);
            out.journal.addAll(j.stdout().lines().toList());
            progress.journal(name, out.journal);
        }
        out.fail(why + rollback(shell, plan, report, out));
        return null;
    }

    /** Runs the rollback and says in a few words what it achieved, for the failure message. */
    private String rollback(RemoteShell shell, HostPlan plan, ApplyReport applied, HostOutcome out) throws IOException {
        progress.phase(out.host, "rollback");
        ExecResult r = shell.runAsRoot(scripts.rollback(plan, applied.done()), InputStream.nullInputStream(), APPLY_TIMEOUT,
                l -> { });
        RollbackReport report = RollbackReport.of(r);
        progress.rollback(out.host, report);
        return "; " + report.summary();
    }

    /** Names where the run is, for an unexpected failure's message and the live view. */
    private void enter(HostOutcome out, String phase) {
        out.phase = phase;
        progress.phase(out.host, phase);
    }

    private static StepResult result(Step s, String outcome) {
        return new StepResult(s.kind().label(), s.reason(), outcome, s.diff().orElse(""));
    }
}
