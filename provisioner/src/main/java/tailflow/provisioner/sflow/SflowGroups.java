package tailflow.provisioner.sflow;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Inet4Address;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tailflow.agent.config.SflowConfig;
import tailflow.agent.sflow.AgentAddress;
import tailflow.agent.sflow.NetInterface;

/**
 * The lab's sFlow-RT/Vizceral {@code groups.json}: group name -> CIDRs, here one /32 (/128) per
 * host, the address its agent puts in datagrams, plus the lab's {@code "INTERNET": ["0.0.0.0/0"]}.
 * Written in the lab file's layout (one group per line).
 */
public final class SflowGroups {

    private final Map<String, List<String>> groups = new LinkedHashMap<>();

    public SflowGroups() {
        groups.put("INTERNET", List.of("0.0.0.0/0"));
    }

    public void add(String group, List<InetAddress> members) {
        List<String> cidrs = groups.computeIfAbsent(group, g -> new ArrayList<>());
        for (InetAddress a : members) {
            String cidr = a.getHostAddress() + (a instanceof Inet4Address ? "/32" : "/128");
            if (!cidrs.contains(cidr)) {
                cidrs.add(cidr);
            }
        }
    }

    public Map<String, List<String>> groups() {
        return groups;
    }

    public String json() {
        StringBuilder out = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, List<String>> e : groups.entrySet()) {
            out.append("    ").append(quote(e.getKey())).append(": [");
            out.append(String.join(", ", e.getValue().stream().map(SflowGroups::quote).toList()));
            out.append(++i < groups.size() ? "],\n" : "]\n");
        }
        return out.append("}\n").toString();
    }

    /** Writes through a temp file in the same directory and a rename: sFlow-RT never reads half a file. */
    public void writeAtomically(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, json(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * The agent address the host's agent will choose (the agent's own rule, default settings),
     * from the {@code addr_N=IFINDEX IFNAME ADDRESS} lines of {@code AdminScripts.addresses()}.
     */
    public static Optional<InetAddress> agentAddress(Map<String, String> addressLines) {
        Map<String, List<InetAddress>> byInterface = new LinkedHashMap<>();
        Map<String, Integer> indexes = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : addressLines.entrySet()) {
            if (!e.getKey().startsWith("addr_")) {
                continue;
            }
            String[] f = e.getValue().split("\\s+");
            if (f.length != 3) {
                continue;
            }
            try {
                byInterface.computeIfAbsent(f[1], n -> new ArrayList<>()).add(InetAddress.getByName(f[2]));
                indexes.put(f[1], Integer.parseInt(f[0]));
            } catch (UnknownHostException | NumberFormatException ex) {
                // not an address line
            }
        }
        List<NetInterface> interfaces = new ArrayList<>();
        byInterface.forEach((name, addrs) -> interfaces.add(new NetInterface(name, indexes.get(name), indexes.get(name),
                name.equals("lo") ? NetInterface.ARPHRD_LOOPBACK : NetInterface.ARPHRD_ETHER, NetInterface.UNKNOWN_SPEED, 0,
                true, true, false, Optional.empty(), addrs)));
        SflowConfig defaults = new SflowConfig(Optional.empty(), Optional.empty(), SflowConfig.DEFAULT_POLLING,
                SflowConfig.DEFAULT_SAMPLING, Map.of(), SflowConfig.DEFAULT_HEADER_BYTES, SflowConfig.DEFAULT_DATAGRAM_BYTES,
                List.of(), List.of(), false);
        return AgentAddress.choose(defaults, interfaces).map(AgentAddress::address);
    }
}
