package tailflow.agent.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.agent.sflow.record.HostAdapters;
import tailflow.agent.sflow.record.HostCpu;
import tailflow.agent.sflow.record.HostDescr;
import tailflow.agent.sflow.record.HostDiskIo;
import tailflow.agent.sflow.record.HostMemory;
import tailflow.agent.sflow.record.HostNetIo;

class HostCountersTest {

    static void write(Path root, String rel, String text) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    static NetInterface iface(String name, int index, int link, int type, long mac, boolean up) {
        return new NetInterface(name, index, link, type, -1, 0, up, up, false,
                mac < 0 ? Optional.empty() : Optional.of(new MacAddress(mac)), List.of());
    }

    /** An armv7 board: /proc/cpuinfo without "cpu MHz", cpufreq in kHz, 32-bit counters that overflow. */
    @Test
    void readsAnArmv7HostFromProcAndSys(@TempDir Path root) throws Exception {
        write(root, "proc/sys/kernel/hostname", "pi-3\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-rpi7-rpi-v7\n");
        write(root, "proc/sys/kernel/arch", "armv7l\n");
        write(root, "etc/machine-id", "0123456789abcdef0123456789abcdef\n");
        write(root, "proc/loadavg", "0.25 0.50 1.75 2/187 4242\n");
        write(root, "proc/stat", """
                cpu  100 2 30 4000 5 6 7 8 9 10
                cpu0 50 1 15 2000 2 3 3 4 4 5
                cpu1 50 1 15 2000 3 3 4 4 5 5
                intr 123456 0 0
                ctxt 98765
                btime 1700000000
                """);
        write(root, "proc/uptime", "3600.55 7000.00\n");
        write(root, "proc/cpuinfo", """
                processor\t: 0
                model name\t: ARMv7 Processor rev 4 (v7l)
                BogoMIPS\t: 38.40
                Hardware\t: BCM2835
                """);
        write(root, "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "1200000\n");
        write(root, "proc/meminfo", """
                MemTotal:         948280 kB
                MemFree:          500000 kB
                Buffers:           10000 kB
                Cached:           200000 kB
                SwapTotal:        102396 kB
                SwapFree:         102396 kB
                Shmem:              4000 kB
                """);
        write(root, "proc/vmstat", "pgpgin 11\npgpgout 22\npswpin 33\npswpout 44\n");
        write(root, "proc/diskstats", """
                 179       0 mmcblk0 1000 10 20000 300 2000 20 40000 600 0 900 900 0 0 0 0
                 179       1 mmcblk0p1 500 5 10000 150 1000 10 20000 300 0 450 450 0 0 0 0
                   7       0 loop0 9 0 9 0 0 0 0 0 0 0 0 0 0 0 0
                """);
        Files.createDirectories(root.resolve("sys/block/mmcblk0"));
        Files.createDirectories(root.resolve("sys/block/loop0"));
        write(root, "proc/mounts", "/dev/root / ext4 rw 0 0\nproc /proc proc rw 0 0\n");
        write(root, "proc/net/dev", """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:  900 9 0 0 0 0 0 0  900 9 0 0 0 0 0 0
                  eth0: 5000000000 4000 1 2 0 0 0 7 6000000000 5000 3 4 0 0 0 0
                 veth1:  100 1 0 0 0 0 0 0  200 2 0 0 0 0 0 0
                  wlan0: 77 7 0 0 0 0 0 0 77 7 0 0 0 0 0 0
                """);
        List<NetInterface> ifs = List.of(iface("lo", 1, 1, 772, 0, true), iface("eth0", 2, 2, 1, 0xb827eb000001L, true),
                iface("veth1", 3, 9, 1, 0x0a0000000003L, true), iface("wlan0", 4, 4, 1, 0xb827eb000004L, false));
        HostCounters host = new HostCounters(root, "arm");

        HostDescr d = host.descr();
        assertThat(d.hostname()).isEqualTo("pi-3");
        assertThat(d.uuid()).isEqualTo(HexFormat.of().parseHex("0123456789abcdef0123456789abcdef"));
        assertThat(d.machineType()).isEqualTo(HostDescr.MACHINE_ARM);
        assertThat(d.osRelease()).isEqualTo("6.1.0-rpi7-rpi-v7");

        HostCpu c = host.cpu();
        assertThat(c.loadOne()).isEqualTo(0.25f);
        assertThat(c.loadFifteen()).isEqualTo(1.75f);
        assertThat(c.procRun()).isEqualTo(2);
        assertThat(c.procTotal()).isEqualTo(187);
        assertThat(c.cpuNum()).isEqualTo(2);
        assertThat(c.cpuSpeedMhz()).as("from cpufreq: armv7 cpuinfo has no cpu MHz").isEqualTo(1200);
        assertThat(c.uptimeSeconds()).isEqualTo(3600);
        assertThat(c.userMs()).isEqualTo(1000);
        assertThat(c.idleMs()).isEqualTo(40000);
        assertThat(c.softIrqMs()).isEqualTo(70);
        assertThat(c.stealMs()).isEqualTo(80);
        assertThat(c.guestNiceMs()).isEqualTo(100);
        assertThat(c.interrupts()).isEqualTo(123456);
        assertThat(c.contexts()).isEqualTo(98765);

        HostMemory m = host.memory();
        assertThat(m.total()).isEqualTo(948280L * 1024);
        assertThat(m.shared()).isEqualTo(4000L * 1024);
        assertThat(m.pageIn()).isEqualTo(11);
        assertThat(m.swapOut()).isEqualTo(44);

        HostDiskIo io = host.disk();
        assertThat(io.reads()).as("whole disk only, not partitions or loop").isEqualTo(1000);
        assertThat(io.bytesRead()).isEqualTo(20000L * 512);
        assertThat(io.writes()).isEqualTo(2000);
        assertThat(io.writeTimeMs()).isEqualTo(600);

        HostNetIo net = host.net(ifs);
        assertThat(net.bytesIn()).as("up, not loopback: eth0 + veth1").isEqualTo(5_000_000_100L);
        assertThat(net.pktsOut()).isEqualTo(5002);
        assertThat(net.errsIn()).isEqualTo(1);
        assertThat(net.dropsOut()).isEqualTo(4);

        assertThat(HostCounters.adapters(ifs).adapters()).as("up, MAC, not loopback, not a veth peer")
                .containsExactly(new HostAdapters.Adapter(2, List.of(new MacAddress(0xb827eb000001L))));
    }

    @Test
    void machineTypesAsHsflowdReportsThem() {
        assertThat(HostCounters.machineType("x86_64")).isEqualTo(3);
        assertThat(HostCounters.machineType("i686")).isEqualTo(2);
        assertThat(HostCounters.machineType("armv7l")).isEqualTo(10);
        assertThat(HostCounters.machineType("aarch64")).isEqualTo(0);
    }

    @Test
    void cpuSpeedFromCpuinfoOnX86AndZeroWhenNothingSays(@TempDir Path root) throws Exception {
        write(root, "proc/cpuinfo", "processor\t: 0\ncpu MHz\t\t: 2399.998\n");
        assertThat(new HostCounters(root, "amd64").cpuMhz()).isEqualTo(2399);
        write(root, "proc/cpuinfo", "processor\t: 0\n");
        assertThat(new HostCounters(root, "amd64").cpuMhz()).isZero();
    }

    @Test
    void readsThisMachine() throws Exception {
        HostCounters host = new HostCounters(Path.of("/"), System.getProperty("os.arch"));
        List<NetInterface> ifs = new InterfaceScanner(Path.of("/sys"), n -> List.of()).scan();
        assertThat(host.read(ifs)).hasSize(6);
        assertThat(host.cpu().cpuNum()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(host.memory().total()).isPositive();
        assertThat(host.disk().diskTotal()).isPositive();
        assertThat(host.descr().hostname()).isNotBlank();
    }
}
