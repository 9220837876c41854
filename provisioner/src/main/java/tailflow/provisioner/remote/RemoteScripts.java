package tailflow.provisioner.remote;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tailflow.agent.layout.InstallLayout;
import tailflow.provisioner.bundle.Bundle;
import tailflow.provisioner.facts.HostFacts;
import tailflow.provisioner.install.InstallMethod;
import tailflow.provisioner.plan.DesiredState;
import tailflow.provisioner.plan.HostPlan;
import tailflow.provisioner.plan.Step;
import tailflow.provisioner.plan.StepKind;

/**
 * The sh scripts that change a host, generated from a plan: one applies every step (the release
 * bundle arrives on its stdin), one verifies, one rolls back. They report through {@link Marker}
 * lines that stream back over the single SSH connection; {@link ApplyReport}, {@link VerifyReport}
 * and {@link RollbackReport} read them. Facts and the admin commands' scripts live beside these
 * ({@link FactsScript}, {@link AdminScripts}).
 */
public final class RemoteScripts {

    private final InstallLayout layout;
    private final InstallMethod method;

    public RemoteScripts(InstallLayout layout, InstallMethod method) {
        this.layout = layout;
        this.method = method;
    }

    public InstallLayout layout() {
        return layout;
    }

    public String unitFile() {
        return method.unitFile().orElse(layout.adminUnitFile());
    }

    /** The plan for a host, by this install method. */
    public HostPlan plan(String host, HostFacts facts, DesiredState want) {
        return method.plan(host, facts, want, layout, unitFile());
    }

    /** What an apply with a RELEASE step streams to the host. */
    public Path payload(Bundle bundle) {
        return method.payload(bundle);
    }

    public String methodName() {
        return method.name();
    }

    public String apply(HostPlan plan, DesiredState want) {
        StringBuilder s = new StringBuilder(Shell.PRELUDE);
        String unit = layout.unitName();
        for (Step step : plan.steps()) {
            s.append(switch (step.kind()) {
                case INSTALL_JAVA -> installJava();
                case USER -> user();
                case RELEASE -> method.installRelease(want.bundle());
                case CONFIG -> writeFile("config", layout.configFile(), want.config(), "0640", "root:" + layout.group());
                case UNIT -> writeFile("unit", unitFile(), want.unit(), "0644", "root:root");
                case DROP_IN -> want.dropIn().isEmpty()
                        ? "cp -p " + layout.dropInFile() + " " + Shell.prev(layout.dropInFile()) + " && rm -f " + layout.dropInFile()
                                + " || fail drop-in \"cannot remove the drop-in\"\nstep drop-in\n"
                        : writeFile("drop-in", layout.dropInFile(), want.dropIn(), "0644", "root:root");
                case SWITCH -> method.switchTo(plan.release());
                // With both steps planned, enable runs first without its own reload and the one
                // daemon-reload after it picks up the unit file and the links (a second reload cost
                // ~0.5 s per host under load). Alone, enable reloads itself: systemd caches a loaded
                // unit's UnitFileState until a reload, and facts read it from there.
                case DAEMON_RELOAD -> (plan.has(StepKind.ENABLE) ? enable(unit, "--no-reload ") : "")
                        + "systemctl daemon-reload || fail daemon-reload \"systemctl daemon-reload failed\"\nstep daemon-reload\n";
                case ENABLE -> (plan.has(StepKind.DAEMON_RELOAD) ? "" : enable(unit, "")) + "step enable\n";
                case RESTART -> method.restart(unit);
            });
        }
        return s.toString();
    }

    private static String enable(String unit, String flags) {
        return "systemctl enable --quiet " + flags + unit + " 2>&1 || fail enable \"systemctl enable failed\"\n";
    }

    /** The service account with its primary group, in every supplementary group (created if missing: the unit names them). */
    private String user() {
        String u = layout.user();
        StringBuilder s = new StringBuilder();
        for (String g : layout.supplementaryGroups()) {
            s.append("getent group ").append(g).append(" >/dev/null || groupadd --system ").append(g)
                    .append(" || fail user \"groupadd ").append(g).append(" failed\"\n");
        }
        // one useradd (or usermod) with every group: each of these rewrites /etc/passwd or /etc/group
        String groups = String.join(",", layout.supplementaryGroups());
        String add = groups.isEmpty() ? "" : " --groups " + groups;
        s.append("if id ").append(u).append(" >/dev/null 2>&1; then\n");
        if (!groups.isEmpty()) {
            s.append("  usermod -a -G ").append(groups).append(' ').append(u)
                    .append(" || fail user \"usermod -a -G ").append(groups).append(' ').append(u).append(" failed\"\n");
        }
        s.append("else\n  useradd --system --user-group").append(add).append(" --no-create-home --home-dir ")
                .append(layout.stateDirectory()).append(" --shell /usr/sbin/nologin ").append(u)
                .append(" || fail user \"useradd ").append(u).append(" failed\"\nfi\n");
        return s.append("step user\n").toString();
    }

    private static String installJava() {
        return """
                if command -v apt-get >/dev/null 2>&1; then
                  DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jre-headless > /tmp/tailflow-java.log 2>&1 \\
                    || fail install-java "apt-get install openjdk-17-jre-headless failed: $(tail -n 3 /tmp/tailflow-java.log | tr '\\n' ' ')"
                else
                  dnf install -y java-17-openjdk-headless > /tmp/tailflow-java.log 2>&1 \\
                    || fail install-java "dnf install java-17-openjdk-headless failed: $(tail -n 3 /tmp/tailflow-java.log | tr '\\n' ' ')"
                fi
                step install-java
                """;
    }

    /** Writes a file through a temp name and a rename, keeping the previous version for rollback. */
    private static String writeFile(String step, String path, String content, String mode, String owner) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        String tmp = Shell.dir(path) + "/." + name + ".new";
        return """
                mkdir -p %2$s && base64 -d > "%3$s" <<'TAILFLOW_EOF' || fail %1$s "cannot write %3$s"
                %4$s
                TAILFLOW_EOF
                chown %6$s "%3$s" && chmod %5$s "%3$s" || fail %1$s "cannot set owner/mode of %3$s"
                rm -f "%7$s"; if [ -f "%8$s" ]; then cp -p "%8$s" "%7$s"; fi
                mv -f "%3$s" "%8$s" || fail %1$s "cannot rename %3$s to %8$s"
                step %1$s
                """.formatted(step, Shell.dir(path), tmp, Shell.base64(content), mode, owner, Shell.prev(path), path);
    }

    /**
     * Polls the unit and the agent's /ready on the host itself until both are fine or the
     * deadline passes; then keeps the running release and the one before it.
     */
    public String verify(int httpPort, Duration timeout, String keepRelease, String previousRelease) {
        return Shell.PRELUDE + readiness(httpPort, timeout, keepRelease, previousRelease);
    }

    /**
     * {@link #verify}'s body, to end an apply script that restarts the agent: no round trip of its
     * own. The unit is Type=notify, so {@code systemctl restart} has returned once the agent said
     * READY=1 (the old agent stopped before): /ready answering 200 then can only be the new agent,
     * and that first check is all it takes. Only when it does not answer 200 does the loop watch
     * the unit's state and ask again every 0.2 s: the agent says READY=1 before its sources are
     * (its status then reads "waiting for: logs" and /ready answers 503 for a moment), and a 0.5 s
     * step added up to half a second per host. Each process started on a loaded host costs
     * 50-100 ms, so the check starts few (the bash fallback reads the status line itself).
     */
    public String readiness(int httpPort, Duration timeout, String keepRelease, String previousRelease) {
        return """
                ready_code() {
                  if command -v curl >/dev/null 2>&1; then
                    curl -s -o /dev/null -w '%%{http_code}' --max-time 2 http://127.0.0.1:%1$d/ready
                  elif command -v wget >/dev/null 2>&1; then
                    wget -q -T 2 -O /dev/null http://127.0.0.1:%1$d/ready && echo 200
                  elif command -v bash >/dev/null 2>&1; then
                    timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/%1$d && printf "GET /ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n" >&3 && read -r _ c _ <&3 && echo "$c"' 2>/dev/null
                  elif command -v python3 >/dev/null 2>&1; then
                    python3 -c 'import urllib.request,sys
                try: print(urllib.request.urlopen("http://127.0.0.1:%1$d/ready", timeout=2).status)
                except Exception as e: print(getattr(e, "code", 0))'
                  else echo nocheck; fi
                }
                code=$(ready_code)
                if [ "$code" != 200 ]; then
                deadline=$(( $(date +%%s) + %2$d ))
                while :; do
                  eval "$(systemctl show %3$s -p ActiveState,SubState,Result | sed 's/=\\(.*\\)/="\\1"/')"
                  code=-
                  if [ "$ActiveState" = active ]; then
                    code=$(ready_code)
                    if [ "$code" = 200 ] || [ "$code" = nocheck ]; then break; fi
                  fi
                  if [ "$ActiveState" = failed ] || [ "$SubState" = auto-restart ] || [ "$Result" != success ] \\
                     || [ "$(date +%%s)" -ge "$deadline" ]; then
                    echo "@@notready unit $ActiveState/$SubState (result $Result), /ready answered $code"
                    journalctl -u %3$s -n 20 --no-pager -o cat 2>/dev/null | sed 's/^/@@journal /'
                    exit 1
                  fi
                  sleep 0.2
                done
                fi
                echo "@@ready $code"
                """.formatted(httpPort, timeout.toSeconds(), layout.unitName()) + method.prune(keepRelease, previousRelease);
    }

    /** Undoes the steps that ran: restores the previous files and release and restarts it (or stops a first install). */
    public String rollback(HostPlan plan, Set<StepKind> done) {
        StringBuilder s = new StringBuilder(Shell.PRELUDE);
        record Restorable(StepKind step, String path) {}
        List<Restorable> files = new ArrayList<>(List.of(new Restorable(StepKind.CONFIG, layout.configFile()),
                new Restorable(StepKind.UNIT, unitFile()), new Restorable(StepKind.DROP_IN, layout.dropInFile())));
        boolean unitFiles = false;
        for (Restorable f : files) {
            if (done.contains(f.step())) {
                String prev = Shell.prev(f.path());
                s.append("if [ -f \"").append(prev).append("\" ]; then mv -f \"").append(prev).append("\" \"").append(f.path())
                        .append("\"; else rm -f \"").append(f.path()).append("\"; fi\n");
                unitFiles |= f.step() != StepKind.CONFIG;
            }
        }
        if (unitFiles) {
            s.append("systemctl daemon-reload\n");
        }
        String unit = layout.unitName();
        if (plan.previousRelease().isPresent()) {
            String previous = plan.previousRelease().get();
            s.append(method.restoreRelease(plan, done));
            s.append("systemctl restart ").append(unit).append(" 2>&1 && echo \"@@rolledback ").append(previous)
                    .append("\" || echo \"@@rollbackfailed restart of ").append(previous).append(" failed\"\n");
        } else {
            s.append(method.undoFirstInstall(unit));
        }
        return s.toString();
    }

    /** The agent's last journal lines, for a failed restart. */
    public String journal(int lines) {
        return "journalctl -u " + layout.unitName() + " -n " + lines + " --no-pager -o cat";
    }
}
