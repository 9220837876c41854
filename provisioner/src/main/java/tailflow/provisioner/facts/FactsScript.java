package tailflow.provisioner.facts;

/**
 * The remote half of fact gathering: one POSIX sh script, run as root in a single round trip,
 * printing {@code key=value} lines (file contents base64-encoded on one line). It reads the
 * JDK's {@code release} file instead of starting a JVM, so facts cost milliseconds.
 */
public final class FactsScript {

    public static final String INSTALL_ROOT = "/opt/tailflow";
    public static final String CONFIG = "/etc/tailflow/agent.yaml";
    public static final String UNIT = "/etc/systemd/system/tailflow-agent.service";
    public static final String DROP_IN = "/etc/systemd/system/tailflow-agent.service.d/tailflow.conf";
    public static final String UNIT_NAME = "tailflow-agent.service";

    private FactsScript() {}

    /** @param wantedRelease the release id whose files to hash (so an existing copy can be trusted or repaired) */
    public static String script(String wantedRelease) {
        return """
                export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                b64() { if [ -f "$1" ]; then base64 -w0 < "$1"; echo; else echo "-"; fi; }
                echo "tf_facts=1"
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
                echo "current=$(readlink %1$s/current 2>/dev/null | sed 's#.*/##')"
                echo "releases=$(ls %1$s/releases 2>/dev/null | tr '\\n' ' ')"
                if [ -d %1$s/releases/%2$s ]; then
                  ( cd %1$s/releases/%2$s && find . -type f ! -name VERSION ! -name MANIFEST.sha256 | sort | xargs -r sha256sum ) | while read -r sum f; do echo "file:${f#./}=$sum"; done
                fi
                echo "config=$(b64 %3$s)"
                echo "config_mode=$(stat -c '%%a %%U %%G' %3$s 2>/dev/null)"
                echo "unit=$(b64 %4$s)"
                echo "dropin=$(b64 %5$s)"
                if id tailflow >/dev/null 2>&1; then echo "user=yes"; echo "user_groups=$(id -nG tailflow)"; else echo "user=no"; fi
                systemctl show %6$s -p LoadState,ActiveState,SubState,UnitFileState,InvocationID,ActiveEnterTimestamp,MainPID,NeedDaemonReload 2>/dev/null | sed 's/^/unit_/'
                echo "tf_end=1"
                """.formatted(INSTALL_ROOT, wantedRelease, CONFIG, UNIT, DROP_IN, UNIT_NAME);
    }
}
