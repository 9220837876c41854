package tailflow.provisioner.apply;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import tailflow.provisioner.facts.FactsScript;
import tailflow.provisioner.plan.DesiredState;
import tailflow.provisioner.plan.HostPlan;
import tailflow.provisioner.plan.Step;
import tailflow.provisioner.plan.StepKind;

/**
 * The sh scripts that change a host, generated from a plan: one script applies every step (the
 * release bundle arrives on its stdin), one verifies, one rolls back. Each step prints
 * {@code @@step <name>} when done or {@code @@fail <name> <why>} and exits, so progress streams
 * back line by line over the single SSH connection.
 */
final class RemoteScripts {

    static final String B = FactsScript.INSTALL_ROOT;
    // The bundle arrives on stdin. Every command of the script shares that stdin, and one that reads
    // it (seen: a host whose upload failed its sha256 check while two others passed) eats bundle
    // bytes. So the caller's stdin moves to fd 3 and only the upload's cat reads it.
    private static final String PRELUDE = """
            set -u
            exec 3<&0 </dev/null
            export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
            step() { echo "@@step $1"; }
            fail() { echo "@@fail $1 $2"; exit 1; }
            """;

    private RemoteScripts() {}

    static String apply(HostPlan plan, DesiredState want) {
        StringBuilder s = new StringBuilder(PRELUDE);
        for (Step step : plan.steps()) {
            s.append(switch (step.kind()) {
                case INSTALL_JAVA -> installJava();
                case USER -> """
                        getent group adm >/dev/null || groupadd --system adm || fail user "groupadd adm failed"
                        id tailflow >/dev/null 2>&1 || useradd --system --user-group --no-create-home \\
                          --home-dir /var/lib/tailflow --shell /usr/sbin/nologin tailflow || fail user "useradd tailflow failed"
                        usermod -a -G adm tailflow || fail user "usermod -a -G adm tailflow failed"
                        step user
                        """;
                case RELEASE -> release(want);
                case CONFIG -> writeFile("config", FactsScript.CONFIG, want.config(), "0640", "root:tailflow");
                case UNIT -> writeFile("unit", FactsScript.UNIT, want.unit(), "0644", "root:root");
                case DROP_IN -> want.dropIn().isEmpty()
                        ? "cp -p " + FactsScript.DROP_IN + " " + prev(FactsScript.DROP_IN) + " && rm -f " + FactsScript.DROP_IN
                                + " || fail drop-in \"cannot remove the drop-in\"\nstep drop-in\n"
                        : writeFile("drop-in", FactsScript.DROP_IN, want.dropIn(), "0644", "root:root");
                case SWITCH -> "ln -sfn releases/" + plan.release() + " " + B + "/.current.new && mv -T " + B + "/.current.new "
                        + B + "/current || fail switch \"cannot switch " + B + "/current\"\nstep switch\n";
                case DAEMON_RELOAD -> "systemctl daemon-reload || fail daemon-reload \"systemctl daemon-reload failed\"\nstep daemon-reload\n";
                case ENABLE -> "systemctl enable --quiet " + FactsScript.UNIT_NAME
                        + " 2>&1 || fail enable \"systemctl enable failed\"\nstep enable\n";
                case RESTART -> "systemctl restart " + FactsScript.UNIT_NAME
                        + " 2>&1 || fail restart \"systemctl restart failed\"\nstep restart\n";
            });
        }
        return s.toString();
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

    /** Receives the bundle on stdin into a temp name, checks its sha256 and every file's, then renames the release into place. */
    private static String release(DesiredState want) {
        String rel = B + "/releases/" + want.bundle().releaseId();
        return """
                mkdir -p %1$s/releases || fail release "cannot create %1$s/releases"
                tmp=$(mktemp %1$s/.upload.XXXXXX) || fail release "mktemp failed"
                cat <&3 > "$tmp" || { rm -f "$tmp"; fail release "upload failed"; }
                echo "%2$s  $tmp" | sha256sum -c --status || { rm -f "$tmp"; fail release "uploaded bundle does not match sha256 %2$s"; }
                rm -rf "%3$s.new" && mkdir -p "%3$s.new" && tar -xzf "$tmp" -C "%3$s.new" --no-same-owner \\
                  && ( cd "%3$s.new" && sha256sum -c --quiet --strict MANIFEST.sha256 ) \\
                  || { rm -rf "%3$s.new" "$tmp"; fail release "unpacking the bundle failed"; }
                rm -f "$tmp"; chmod 755 "%3$s.new"
                rm -rf "%3$s.old"; if [ -e "%3$s" ]; then mv "%3$s" "%3$s.old"; fi
                mv "%3$s.new" "%3$s" && rm -rf "%3$s.old" || fail release "cannot move the release into place"
                step release
                """.formatted(B, want.bundle().sha256(), rel);
    }

    /** Writes a file through a temp name and a rename, keeping the previous version for rollback. */
    private static String writeFile(String step, String path, String content, String mode, String owner) {
        String tmp = path.substring(0, path.lastIndexOf('/') + 1) + "." + path.substring(path.lastIndexOf('/') + 1) + ".new";
        String dir = path.substring(0, path.lastIndexOf('/'));
        String b64 = Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(content.getBytes(StandardCharsets.UTF_8));
        return """
                mkdir -p %2$s && base64 -d > "%3$s" <<'TAILFLOW_EOF' || fail %1$s "cannot write %3$s"
                %4$s
                TAILFLOW_EOF
                chown %6$s "%3$s" && chmod %5$s "%3$s" || fail %1$s "cannot set owner/mode of %3$s"
                rm -f "%7$s"; if [ -f "%8$s" ]; then cp -p "%8$s" "%7$s"; fi
                mv -f "%3$s" "%8$s" || fail %1$s "cannot rename %3$s to %8$s"
                step %1$s
                """.formatted(step, dir, tmp, b64, mode, owner, prev(path), path);
    }

    static String prev(String path) {
        int slash = path.lastIndexOf('/');
        return path.substring(0, slash + 1) + "." + path.substring(slash + 1) + ".prev";
    }

    /** Polls the unit and the agent's /ready on the host itself until both are fine or the deadline passes. */
    static String verify(int httpPort, Duration timeout, String keepRelease, String previousRelease) {
        return PRELUDE + """
                ready_code() {
                  if command -v curl >/dev/null 2>&1; then
                    curl -s -o /dev/null -w '%%{http_code}' --max-time 2 http://127.0.0.1:%1$d/ready
                  elif command -v wget >/dev/null 2>&1; then
                    wget -q -T 2 -O /dev/null http://127.0.0.1:%1$d/ready && echo 200
                  elif command -v bash >/dev/null 2>&1; then
                    timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/%1$d && printf "GET /ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n" >&3 && head -n 1 <&3' 2>/dev/null | awk '{print $2}'
                  elif command -v python3 >/dev/null 2>&1; then
                    python3 -c 'import urllib.request,sys
                try: print(urllib.request.urlopen("http://127.0.0.1:%1$d/ready", timeout=2).status)
                except Exception as e: print(getattr(e, "code", 0))'
                  else echo nocheck; fi
                }
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
                  sleep 0.5
                done
                echo "@@ready $code"
                # Keep the running release and the one before it; older ones go.
                for r in $(ls %4$s/releases 2>/dev/null); do
                  case "$r" in %5$s|%6$s) ;; *) rm -rf "%4$s/releases/$r" ;; esac
                done
                """.formatted(httpPort, timeout.toSeconds(), FactsScript.UNIT_NAME, B, keepRelease,
                previousRelease.isEmpty() ? keepRelease : previousRelease);
    }

    /** Undoes the steps that ran: restores the previous files and release and restarts it (or stops a first install). */
    static String rollback(HostPlan plan, Set<StepKind> done) {
        StringBuilder s = new StringBuilder(PRELUDE);
        boolean unitFiles = false;
        for (var entry : new Object[][] {{StepKind.CONFIG, FactsScript.CONFIG}, {StepKind.UNIT, FactsScript.UNIT},
                {StepKind.DROP_IN, FactsScript.DROP_IN}}) {
            if (done.contains((StepKind) entry[0])) {
                String path = (String) entry[1];
                s.append("if [ -f \"").append(prev(path)).append("\" ]; then mv -f \"").append(prev(path)).append("\" \"")
                        .append(path).append("\"; else rm -f \"").append(path).append("\"; fi\n");
                unitFiles |= entry[0] != StepKind.CONFIG;
            }
        }
        if (unitFiles) {
            s.append("systemctl daemon-reload\n");
        }
        if (plan.previousRelease().isPresent()) {
            if (done.contains(StepKind.SWITCH) && !plan.previousRelease().get().equals(plan.release())) {
                s.append("ln -sfn releases/").append(plan.previousRelease().get()).append(' ').append(B)
                        .append("/.current.new && mv -T ").append(B).append("/.current.new ").append(B).append("/current\n");
            }
            s.append("systemctl restart ").append(FactsScript.UNIT_NAME).append(" 2>&1 && echo \"@@rolledback ")
                    .append(plan.previousRelease().get()).append("\" || echo \"@@rollbackfailed restart of ")
                    .append(plan.previousRelease().get()).append(" failed\"\n");
        } else {
            s.append("systemctl stop ").append(FactsScript.UNIT_NAME).append(" 2>&1; echo \"@@stopped no previous release to return to\"\n");
        }
        return s.toString();
    }
}
