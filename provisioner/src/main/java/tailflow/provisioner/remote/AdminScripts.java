package tailflow.provisioner.remote;

import tailflow.agent.layout.InstallLayout;
import tailflow.provisioner.bundle.DebPackage;

/** The scripts behind {@code provisioner status} and {@code provisioner uninstall}; both print {@code key=value} lines. */
public final class AdminScripts {

    private final InstallLayout layout;
    private final String unitFile;

    public AdminScripts(InstallLayout layout, String unitFile) {
        this.layout = layout;
        this.unitFile = unitFile;
    }

    /** Asks the agent on the host itself (its HTTP port is not exposed), with whatever client the host has. */
    public String status() {
        return """
                export LC_ALL=C
                port=$(sed -n 's/^ *http_listen_port: *\\([0-9]*\\).*/\\1/p' %1$s 2>/dev/null | head -n1); port=${port:-%4$d}
                get() {
                  if command -v curl >/dev/null 2>&1; then curl -s --max-time 3 -o - -w '\\n@@code %%{http_code}\\n' "http://127.0.0.1:$port$1"
                  elif command -v bash >/dev/null 2>&1; then timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'GET $1 HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && cat <&3" 2>/dev/null \\
                    | awk 'NR==1{code=$2; next} body{print} /^\\r?$/{body=1} END{print "@@code " code}'
                  fi
                }
                systemctl show %2$s -p ActiveState,SubState,ActiveEnterTimestamp | sed 's/^/unit_/'
                echo "release=$(cat %3$s/VERSION 2>/dev/null || dpkg-query -W -f='deb:${Version}' tailflow-agent 2>/dev/null)"
                echo "ready=$(get /ready | sed -n 's/^@@code //p')"
                echo "shipped=$(get /metrics | awk '/^[a-z_]*(sent_entries|entries_sent|lines_sent|lines_shipped|pushed_lines|sent_lines)[a-z_]*_total/ {s+=$NF} END{printf "%%d", s}')"
                """.formatted(layout.configFile(), layout.unitName(), layout.currentLink(), layout.httpPort());
    }

    /** Every address of every interface: {@code addr_N=IFINDEX IFNAME ADDRESS}, for choosing the sFlow agent address. */
    public String addresses() {
        return """
                export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                ip -o addr show | awk '{ sub(":", "", $1); split($4, a, "/"); print "addr_" NR "=" $1 " " $2 " " a[1] }'
                """;
    }

    /**
     * The agent's Debian package, if installed ({@code tailflow_install: deb}): removed (or purged)
     * with dpkg, whose prerm stops it; the kept .debs go with it.
     */
    private static String removePackage(boolean purge) {
        String action = purge ? "--purge" : "--remove";
        return """
                st=$(dpkg-query -W -f='${Status}' %1$s 2>/dev/null)
                case "$st" in
                  ""|*" not-installed") ;;
                  *" config-files") if [ %2$s = --purge ]; then dpkg --purge %1$s >/dev/null 2>&1 && changed=1; fi ;;
                  *) DEBIAN_FRONTEND=noninteractive dpkg %2$s %1$s >/dev/null 2>&1 && changed=1 ;;
                esac
                if [ -e %3$s ]; then rm -rf %3$s; changed=1; fi""".formatted(FactsScript.PACKAGE_NAME, action, DebPackage.CACHE_DIR);
    }

    /** Stops and removes the agent; {@code purge} also removes its state and account. Prints {@code changed=0|1}. */
    public String uninstall(boolean purge) {
        return """
                export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                changed=0
                %8$s
                if [ -e %1$s ] || [ -e %1$s.d ]; then
                  systemctl disable --now %2$s >/dev/null 2>&1
                  rm -rf %1$s %1$s.d; systemctl daemon-reload; systemctl reset-failed %2$s >/dev/null 2>&1; changed=1
                fi
                if [ -e %3$s ] || [ -e %4$s ]; then rm -rf %3$s %4$s; changed=1; fi
                if [ %5$s = yes ]; then
                  if [ -e %6$s ]; then rm -rf %6$s; changed=1; fi
                  if id %7$s >/dev/null 2>&1; then userdel %7$s; changed=1; fi
                fi
                echo "changed=$changed"
                """.formatted(unitFile, layout.unitName(), layout.installRoot(), layout.configDir(), purge ? "yes" : "no",
                layout.stateDirectory(), layout.user(), removePackage(purge));
    }
}
