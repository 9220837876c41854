package tailflow.provisioner.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tailflow.provisioner.facts.FactsScript;
import tailflow.provisioner.report.HostResult;
import tailflow.provisioner.report.HostStatus;
import tailflow.provisioner.report.Recap;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Per host: unit state, agent release, /ready, lines shipped (from /metrics), as a table.")
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    InventoryOptions inventory;

    @Mixin
    ConnectionOptions connection;

    /** Asks the agent on the host itself (its HTTP port is not exposed), with whatever client the host has. */
    static final String SCRIPT = """
            export LC_ALL=C
            port=$(sed -n 's/^ *http_listen_port: *\\([0-9]*\\).*/\\1/p' %1$s 2>/dev/null | head -n1); port=${port:-9080}
            get() {
              if command -v curl >/dev/null 2>&1; then curl -s --max-time 3 -o - -w '\\n@@code %%{http_code}\\n' "http://127.0.0.1:$port$1"
              elif command -v bash >/dev/null 2>&1; then timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'GET $1 HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && cat <&3" 2>/dev/null \\
                | awk 'NR==1{code=$2; next} body{print} /^\\r?$/{body=1} END{print "@@code " code}'
              fi
            }
            systemctl show %2$s -p ActiveState,SubState,ActiveEnterTimestamp | sed 's/^/unit_/'
            echo "release=$(cat %3$s/current/VERSION 2>/dev/null)"
            echo "ready=$(get /ready | sed -n 's/^@@code //p')"
            echo "shipped=$(get /metrics | awk '/^[a-z_]*(sent_entries|entries_sent|lines_sent|lines_shipped|pushed_lines|sent_lines)[a-z_]*_total/ {s+=$NF} END{printf "%%d", s}')"
            """.formatted(FactsScript.CONFIG, FactsScript.UNIT_NAME, FactsScript.INSTALL_ROOT);

    @Override
    public Integer call() throws Exception {
        List<HostResult> results = HostQuery.run(inventory.select(), connection, SCRIPT, (h, r) -> {
            Map<String, String> kv = new LinkedHashMap<>();
            r.stdout().lines().filter(l -> l.contains("=")).forEach(l -> kv.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
            boolean healthy = "active".equals(kv.get("unit_ActiveState")) && "200".equals(kv.get("ready"));
            return new HostResult(h.name(), healthy ? HostStatus.OK : HostStatus.FAILED, "", kv, List.of(), List.of(), List.of(), 0);
        });
        List<List<String>> rows = new ArrayList<>();
        for (HostResult r : results) {
            Map<String, String> f = r.facts();
            rows.add(List.of(r.host(), f.getOrDefault("unit_ActiveState", "-") + "/" + f.getOrDefault("unit_SubState", "-"),
                    f.getOrDefault("release", "-"), f.getOrDefault("ready", "-"), f.getOrDefault("shipped", "-"),
                    f.getOrDefault("unit_ActiveEnterTimestamp", ""), r.message()));
        }
        HostQuery.table(List.of("HOST", "UNIT", "RELEASE", "READY", "LINES SHIPPED", "SINCE", ""), rows);
        return Recap.exitCode(results);
    }
}
