package tailflow.provisioner.remote;

import tailflow.agent.layout.InstallLayout;
import tailflow.provisioner.bundle.DebPackage;
import tailflow.provisioner.facts.FactsParser;

/**
 * The remote half of fact gathering: one POSIX sh script, run as root in a single round trip,
 * printing {@code key=value} lines (file contents base64-encoded on one line) that
 * {@link tailflow.provisioner.facts.FactsParser} reads. It reads the JDK's {@code release} file
 * instead of starting a JVM, so facts cost milliseconds.
 */
public final class FactsScript {

    /** The agent's Debian package, as agent/pom.xml's jdeb execution names it. */
    public static final String PACKAGE_NAME = "tailflow-agent";

    private FactsScript() {}

    /**
     * @param wantedRelease the release id whose files to hash (so an existing copy can be trusted or repaired)
     * @param unitFile      where this install method keeps the unit
     */
    public static String script(InstallLayout layout, String unitFile, String wantedRelease) {
        return """
                export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                b64() { if [ -f "$1" ]; then base64 -w0 < "$1"; echo; else echo "-"; fi; }
                echo "%9$s"
                echo "arch=$(uname -m)"
                echo "hostname=$(hostname 2>/dev/null || cat /etc/hostname)"
                ( [ -r /etc/os-release ] && . /etc/os-release; echo "os_id=${ID:-}"; echo "os_version=${VERSION_ID:-}"; echo "os_like=${ID_LIKE:-}" )
                j=$(command -v java 2>/dev/null || true)
                if [ -n "$j" ]; then
                  home=$(dirname "$(dirname "$(readlink -f "$j")")")
                  if [ -r "$home/release" ]; then v=$(sed -n 's/^JAVA_VERSION="\\(.*\\)"/\\1/p' "$home/release")
                  else v=$(java -version 2>&1 | sed -n '1s/.*version "\\([^"]*\\)".*/\\1/p'); fi
                  echo "java=$v"
                else echo "java="; fi
                pcap=no; for f in /usr/lib/*/libpcap.so.* /usr/lib64/libpcap.so.* /lib/*/libpcap.so.* /usr/lib/libpcap.so.*; do
                  if [ -e "$f" ]; then pcap=yes; break; fi; done; echo "libpcap=$pcap"
                for pm in apt-get dnf yum; do if command -v $pm >/dev/null 2>&1; then echo "pkg=$pm"; break; fi; done
                echo "current=$(readlink %1$s 2>/dev/null | sed 's#.*/##')"
                echo "releases=$(ls %2$s 2>/dev/null | tr '\\n' ' ')"
                if [ -d %2$s/%3$s ]; then
                  ( cd %2$s/%3$s && find . -type f ! -name VERSION ! -name MANIFEST.sha256 | sort | xargs -r sha256sum ) | while read -r sum f; do echo "file:${f#./}=$sum"; done
                fi
                echo "config=$(b64 %4$s)"
                echo "config_mode=$(stat -c '%%a %%U %%G' %4$s 2>/dev/null)"
                echo "unit=$(b64 %5$s)"
                echo "dropin=$(b64 %6$s)"
                if id %7$s >/dev/null 2>&1; then echo "user=yes"; echo "user_groups=$(id -nG %7$s)"; else echo "user=no"; fi
                systemctl show %8$s -p LoadState,ActiveState,SubState,UnitFileState,InvocationID,ActiveEnterTimestamp,MainPID,NeedDaemonReload 2>/dev/null | sed 's/^/unit_/'
                """.formatted(layout.currentLink(), layout.releasesDir(), wantedRelease, layout.configFile(), unitFile,
                layout.dropInFile(), layout.user(), layout.unitName(), FactsParser.BEGIN) + PACKAGE + "echo \"" + FactsParser.END + "\"\n";
    }

    /**
     * What dpkg knows of the agent's package (every method needs it: a tarball must not be laid over
     * the package, nor the package over a tarball): its status and version, the package's files whose
     * content changed ({@code dpkg --verify}, conffiles excluded), and the .deb kept for a rollback.
     */
    private static final String PACKAGE = """
            if command -v dpkg-query >/dev/null 2>&1; then
              echo "dpkg=yes"
              echo "deb_status=$(dpkg-query -W -f='${Status}' %1$s 2>/dev/null)"
              echo "deb_version=$(dpkg-query -W -f='${Version}' %1$s 2>/dev/null)"
              if dpkg-query -W -f='${Status}' %1$s 2>/dev/null | grep -q ' installed$'; then
                echo "deb_changed=$(dpkg --verify %1$s 2>/dev/null | awk '$2 != "c" {print $NF}' | tr '\\n' ' ')"
              fi
              if [ -f %2$s ]; then echo "deb_kept=$(dpkg-deb -f %2$s Version 2>/dev/null) $(sha256sum < %2$s | cut -c1-64)"; fi
            else echo "dpkg=no"; fi
            """.formatted(PACKAGE_NAME, DebPackage.KEPT_CURRENT);
}
