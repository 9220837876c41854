package tailflow.agent.sflow;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tailflow.agent.sflow.record.CounterRecord;
import tailflow.agent.sflow.record.HostAdapters;
import tailflow.agent.sflow.record.HostCpu;
import tailflow.agent.sflow.record.HostDescr;
import tailflow.agent.sflow.record.HostDiskIo;
import tailflow.agent.sflow.record.HostMemory;
import tailflow.agent.sflow.record.HostNetIo;

/**
 * Reads the host records (2000-2006) from a root directory holding {@code proc/}, {@code sys/} and
 * {@code etc/} ("/" on a live host). Nothing assumes x86_64 or 64-bit: 32-bit fields wrap, and a
 * /proc/cpuinfo without "cpu MHz" (armv7, aarch64) falls back to cpufreq, then 0.
 */
public final class HostCounters {
    /** /proc/stat counts in USER_HZ, which the kernel fixes at 100 for user space on every architecture. */
    private static final long MS_PER_TICK = 10;

    private final Path root;
    private final String javaArch;

    /** @param javaArch the JVM's os.arch, used only when the kernel does not say (no /proc/sys/kernel/arch) */
    public HostCounters(Path root, String javaArch) {
        this.root = root;
        this.javaArch = javaArch;
    }

    public List<CounterRecord> read(List<NetInterface> interfaces) {
        List<CounterRecord> out = new ArrayList<>(6);
        out.add(descr());
        out.add(adapters(interfaces));
        out.add(cpu());
        out.add(memory());
        out.add(disk());
        out.add(net(interfaces));
        return out;
    }

    HostDescr descr() {
        String hostname = text("proc/sys/kernel/hostname").orElse("localhost");
        byte[] uuid = new byte[16];
        String id = text("etc/machine-id").orElse("");
        if (id.matches("[0-9a-fA-F]{32}")) {
            uuid = HexFormat.of().parseHex(id);
        }
        String arch = text("proc/sys/kernel/arch").orElse(javaArch);
        return new HostDescr(hostname, uuid, machineType(arch), HostDescr.OS_LINUX,
                text("proc/sys/kernel/osrelease").orElse(""));
    }

    /** As hsflowd: x86_64 3, x86 2, 32-bit ARM 10; aarch64 and anything else unknown (0). */
    static int machineType(String arch) {
        if (arch.equals("x86_64") || arch.equals("amd64")) {
            return HostDescr.MACHINE_X86_64;
        }
        if (arch.matches("i[3-6]86|x86")) {
            return HostDescr.MACHINE_X86;
        }
        if (arch.startsWith("armv") || arch.equals("arm")) {
            return HostDescr.MACHINE_ARM;
        }
        return HostDescr.MACHINE_UNKNOWN;
    }

    /** Interfaces up with a MAC, not loopback and not one end of a veth pair (container plumbing). */
    static HostAdapters adapters(List<NetInterface> interfaces) {
        List<HostAdapters.Adapter> list = new ArrayList<>();
        for (NetInterface i : interfaces) {
            if (i.adminUp() && !i.loopback() && !i.pairedPeer() && i.mac().filter(m -> !m.isZero()).isPresent()) {
                list.add(new HostAdapters.Adapter(i.ifIndex(), List.of(i.mac().get())));
            }
        }
        return new HostAdapters(list);
    }

    HostCpu cpu() {
        String[] load = text("proc/loadavg").orElse("0 0 0 0/0 0").split("\\s+");
        String[] procs = load.length > 3 ? load[3].split("/") : new String[] {"0", "0"};
        long[] cpu = new long[10];
        long interrupts = 0;
        long contexts = 0;
        int cpuNum = 0;
        for (String line : lines("proc/stat")) {
            String[] f = line.split("\\s+");
            if (f[0].equals("cpu")) {
                for (int k = 0; k < cpu.length && k + 1 < f.length; k++) {
                    cpu[k] = parseLong(f[k + 1]);
                }
            } else if (f[0].startsWith("cpu")) {
                cpuNum++;
            } else if (f[0].equals("intr") && f.length > 1) {
                interrupts = parseLong(f[1]);
            } else if (f[0].equals("ctxt") && f.length > 1) {
                contexts = parseLong(f[1]);
            }
        }
        long uptime = (long) parseDouble(text("proc/uptime").orElse("0").split("\\s+")[0]);
        return new HostCpu((float) parseDouble(load[0]), (float) parseDouble(load[1]), (float) parseDouble(load[2]),
                parseLong(procs[0]), parseLong(procs.length > 1 ? procs[1] : "0"), cpuNum, cpuMhz(), uptime,
                cpu[0] * MS_PER_TICK, cpu[1] * MS_PER_TICK, cpu[2] * MS_PER_TICK, cpu[3] * MS_PER_TICK,
                cpu[4] * MS_PER_TICK, cpu[5] * MS_PER_TICK, cpu[6] * MS_PER_TICK, interrupts, contexts,
                cpu[7] * MS_PER_TICK, cpu[8] * MS_PER_TICK, cpu[9] * MS_PER_TICK);
    }

    /** x86 has "cpu MHz" in /proc/cpuinfo; ARM does not, so cpufreq's kHz (max, then current), else 0. */
    long cpuMhz() {
        for (String line : lines("proc/cpuinfo")) {
            if (line.startsWith("cpu MHz")) {
                int colon = line.indexOf(':');
                return (long) parseDouble(line.substring(colon + 1).trim());
            }
        }
        for (String f : List.of("sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq",
                "sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq")) {
            long khz = parseLong(text(f).orElse("0"));
            if (khz > 0) {
                return khz / 1000;
            }
        }
        return 0;
    }

    HostMemory memory() {
        Map<String, Long> kb = new HashMap<>();
        for (String line : lines("proc/meminfo")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                kb.put(line.substring(0, colon), parseLong(line.substring(colon + 1).trim().split("\\s+")[0]));
            }
        }
        Map<String, Long> vm = new HashMap<>();
        for (String line : lines("proc/vmstat")) {
            String[] f = line.split("\\s+");
            if (f.length == 2) {
                vm.put(f[0], parseLong(f[1]));
            }
        }
        return new HostMemory(bytes(kb, "MemTotal"), bytes(kb, "MemFree"), bytes(kb, "Shmem"), bytes(kb, "Buffers"),
                bytes(kb, "Cached"), bytes(kb, "SwapTotal"), bytes(kb, "SwapFree"), vm.getOrDefault("pgpgin", 0L),
                vm.getOrDefault("pgpgout", 0L), vm.getOrDefault("pswpin", 0L), vm.getOrDefault("pswpout", 0L));
    }

    private static long bytes(Map<String, Long> kb, String key) {
        return kb.getOrDefault(key, 0L) * 1024;
    }

    /** Space over local block-device file systems (each device once); I/O over whole disks, not partitions. */
    HostDiskIo disk() {
        long total = 0;
        long free = 0;
        long maxUsed = 0;
        Set<String> devices = new HashSet<>();
        for (String line : lines("proc/mounts")) {
            String[] f = line.split("\\s+");
            if (f.length < 2 || !f[0].startsWith("/dev/") || !devices.add(f[0])) {
                continue;
            }
            try {
                FileStore fs = Files.getFileStore(root.resolve(unescape(f[1]).substring(1)));
                long t = fs.getTotalSpace();
                long fr = fs.getUsableSpace();
                if (t > 0) {
                    total += t;
                    free += fr;
                    maxUsed = Math.max(maxUsed, (t - fs.getUnallocatedSpace()) * 10_000 / t);
                }
            } catch (IOException | RuntimeException e) {
                // a mount we cannot stat (gone, no permission) is simply not counted
            }
        }
        long reads = 0;
        long sectorsRead = 0;
        long readMs = 0;
        long writes = 0;
        long sectorsWritten = 0;
        long writeMs = 0;
        for (String line : lines("proc/diskstats")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 11 || f[2].startsWith("loop") || f[2].startsWith("ram")
                    || !Files.isDirectory(root.resolve("sys/block").resolve(f[2]))) {
                continue;
            }
            reads += parseLong(f[3]);
            sectorsRead += parseLong(f[5]);
            readMs += parseLong(f[6]);
            writes += parseLong(f[7]);
            sectorsWritten += parseLong(f[9]);
            writeMs += parseLong(f[10]);
        }
        return new HostDiskIo(total, free, maxUsed, reads, sectorsRead * 512, readMs, writes, sectorsWritten * 512,
                writeMs);
    }

    /** Totals over interfaces that are up and not loopback, from /proc/net/dev. */
    HostNetIo net(List<NetInterface> interfaces) {
        Set<String> counted = new HashSet<>();
        for (NetInterface i : interfaces) {
            if (i.adminUp() && !i.loopback()) {
                counted.add(i.name());
            }
        }
        long[] sum = new long[16];
        for (String line : lines("proc/net/dev")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !counted.contains(line.substring(0, colon).trim())) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            for (int k = 0; k < 16 && k < f.length; k++) {
                sum[k] += parseLong(f[k]);
            }
        }
        // /proc/net/dev columns: rx bytes packets errs drop fifo frame compressed multicast, tx bytes packets errs drop ...
        return new HostNetIo(sum[0], sum[1], sum[2], sum[3], sum[8], sum[9], sum[10], sum[11]);
    }

    /** /proc/mounts escapes blanks as octal (\040). */
    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private java.util.Optional<String> text(String rel) {
        try {
            return java.util.Optional.of(Files.readString(root.resolve(rel)).trim());
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private List<String> lines(String rel) {
        try {
            return Files.readAllLines(root.resolve(rel));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
