package tailflow.provisioner.install;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import tailflow.agent.layout.InstallLayout;
import tailflow.provisioner.bundle.Bundle;
import tailflow.provisioner.bundle.DebPackage;
import tailflow.provisioner.facts.HostFacts;
import tailflow.provisioner.plan.DebPlanner;
import tailflow.provisioner.plan.DesiredState;
import tailflow.provisioner.plan.HostPlan;
import tailflow.provisioner.plan.StepKind;

/**
 * The agent's Debian package ({@code tailflow_install: deb}): the .deb is uploaded, kept under
 * {@link DebPackage#KEPT_DIR} and installed with {@code apt-get install} (which pulls the Depends:
 * Java, libpcap) or {@code dpkg -i} (same version again, or no apt-get). The package ships the
 * unit and its maintainer scripts create the user, enable and (re)start the agent; the provisioner
 * writes the per-host config first and dpkg keeps it ({@code --force-confold}: no conffile prompt,
 * the provisioner's file wins over the package's example on install and upgrade).
 *
 * <p>Rollback reinstalls the .deb kept from the last verified apply, or purges the package when
 * there was none before. A marker file says whether this apply touched the package at all, so a
 * failure before that point does not reinstall anything.
 */
public final class DebInstall implements InstallMethod {

    /** No prompt, ever: the config on disk (the provisioner's) wins over the package's conffile. */
    private static final String DPKG_OPTS = "--force-confdef --force-confold";

    private final DebPackage deb;
    private final String keptDir;
    /** The uploaded .deb of an apply in progress; it becomes {@link #current} once verified. */
    private final String fresh;
    private final String current;
    /** The one before {@link #current}, kept for an operator's manual rollback ({@code dpkg -i previous.deb}). */
    private final String older;
    /** Exists from the moment apt-get/dpkg is called until the apply is verified or rolled back. */
    private final String marker;
    private final String log;

    public DebInstall(DebPackage deb) {
        this(deb, DebPackage.KEPT_DIR);
    }

    /** @param keptDir where the host keeps the .debs (tests use a temp directory) */
    public DebInstall(DebPackage deb, String keptDir) {
        this.deb = deb;
        this.keptDir = keptDir;
        this.fresh = keptDir + "/new.deb";
        this.current = keptDir + "/" + DebPackage.KEPT_CURRENT_NAME;
        this.older = keptDir + "/previous.deb";
        this.marker = keptDir + "/.touched";
        this.log = keptDir + "/dpkg.log";
    }

    @Override
    public String name() {
        return "deb";
    }

    @Override
    public HostPlan plan(String host, HostFacts facts, DesiredState want, InstallLayout layout, String unitFile) {
        return DebPlanner.plan(host, facts, want, layout, deb);
    }

    @Override
    public Path payload(Bundle bundle) {
        return deb.file();
    }

    /**
     * Upload, keep as {@code new.deb}, install. The package's name is checked too: a
     * different .deb with the right bytes cannot exist, but a wrong {@code --deb} can.
     */
    @Override
    public String installRelease(Bundle ignored) {
        String dir = keptDir;
        return Upload.receive(dir, dir, deb.size(), deb.sha256(), "package") + """
                chmod 755 %1$s "$(dirname %1$s)"; chmod 644 "$tmp"
                mv -f "$tmp" %2$s || fail release "cannot keep the package as %2$s"
                export DEBIAN_FRONTEND=noninteractive
                : > %3$s
                have=$(dpkg-query -W -f='${Status} ${Version}' %5$s 2>/dev/null)
                if [ "$have" = "install ok installed %6$s" ] || ! command -v apt-get >/dev/null 2>&1; then
                  how="dpkg -i"; dpkg %7$s -i %2$s > %4$s 2>&1
                else
                  how="apt-get install"
                  apt-get install -y -q --allow-downgrades -o DPkg::Lock::Timeout=120 -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef \\
                    -o Dpkg::Options::=--force-confold %2$s > %4$s 2>&1
                fi || fail release "$how failed: $( { grep -E '^(E:|dpkg:|agent:|tailflow-agent:|/)' %4$s || tail -n 6 %4$s; } | tail -n 8 | tr -c '[:print:]' ' ')"
                tf_package_started=1
                step release
                """.formatted(dir, fresh, marker, log, deb.name(), deb.version(), DPKG_OPTS);
    }

    /**
     * After a package step the package's postinst has already started (install) or restarted
     * (upgrade) the agent with the config written before it: a second restart would only cost a
     * start-up. Otherwise (config or drop-in changed, agent down) restart as usual.
     */
    @Override
    public String restart(String unit) {
        return """
                if [ "${tf_package_started:-}" = 1 ] && systemctl is-active --quiet %1$s; then
                  echo "the package's maintainer script (re)started %1$s"
                else
                  systemctl restart %1$s 2>&1 || fail restart "systemctl restart failed"
                fi
                step restart
                """.formatted(unit);
    }

    /** There is no switch step: installing the package is the switch. */
    @Override
    public String switchTo(String releaseId) {
        throw new UnsupportedOperationException("a deb install has no switch step");
    }

    @Override
    public String switchBack(String releaseId) {
        throw new UnsupportedOperationException("a deb install has no switch step");
    }

    /**
     * After a verified apply: the new .deb becomes the kept one (what a later rollback reinstalls),
     * the one it replaces is kept beside it for an operator ({@code dpkg -i previous.deb}).
     */
    @Override
    public String prune(String keep, String previousRelease) {
        return """
                if [ -f %1$s ] && [ "$(dpkg-deb -f %1$s Version 2>/dev/null)" = %4$s ]; then
                  if [ -f %2$s ]; then mv -f %2$s %3$s; fi
                  mv -f %1$s %2$s
                fi
                rm -f %5$s
                """.formatted(fresh, current, older, quote(keep), marker);
    }

    /** Reinstalls the kept .deb of the version that ran before, if this apply touched the package. */
    @Override
    public String restoreRelease(HostPlan plan, Set<StepKind> done) {
        String before = plan.previousRelease().orElseThrow();
        return """
                if [ -f %1$s ]; then
                  if [ -f %2$s ] && [ "$(dpkg-deb -f %2$s Version 2>/dev/null)" = %3$s ]; then
                    DEBIAN_FRONTEND=noninteractive dpkg %4$s -i %2$s > %5$s 2>&1 \\
                      || { echo "@@rollbackfailed dpkg -i %2$s (%6$s) failed: $(tail -n 4 %5$s | tr -c '[:print:]' ' ')"; exit 1; }
                  else
                    echo "@@rollbackfailed no .deb of %7$s %6$s kept in %8$s to reinstall"; exit 1
                  fi
                fi
                rm -f %9$s %1$s
                """.formatted(marker, current, quote(before), DPKG_OPTS, log, before, deb.name(), keptDir, fresh);
    }

    /** No package before this apply: purge what it installed (files, user, state), as if it never ran. */
    @Override
    public String undoFirstInstall(String unit) {
        return """
                if [ -f %1$s ]; then
                  DEBIAN_FRONTEND=noninteractive dpkg --purge %2$s > %3$s 2>&1 \\
                    || { echo "@@rollbackfailed dpkg --purge %2$s failed: $(tail -n 4 %3$s | tr -c '[:print:]' ' ')"; exit 1; }
                  rm -f %1$s %4$s
                  echo "@@stopped no package before: %2$s purged"
                else
                  systemctl stop %5$s 2>&1; echo "@@stopped nothing was installed before"
                fi
                """.formatted(marker, deb.name(), log, fresh, unit);
    }

    /** The package ships the unit (under /lib/systemd/system); the provisioner writes none. */
    @Override
    public Optional<String> unitFile() {
        return Optional.empty();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
