package tailflow.agent.sflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.junit.jupiter.api.Test;

class SocketFilterTest {

    interface Sock extends Library {
        int socket(int domain, int type, int protocol);

        int close(int fd);
    }

    @Test
    void programLoadsTheRandomAncillaryValueTakesItModuloNAndAcceptsOneResidue() {
        SocketFilter.Insn[] p = SocketFilter.program(400, 128);
        assertThat(p).hasSize(SocketFilter.programLength(400));
        assertThat(p[0]).isEqualTo(new SocketFilter.Insn((short) 0x20, 0, 0, 0xFFFFF000 + 56)); // ld rand
        assertThat(p[1]).isEqualTo(new SocketFilter.Insn((short) 0x94, 0, 0, 400));            // mod #400
        assertThat(p[2]).isEqualTo(new SocketFilter.Insn((short) 0x15, 0, 1, 0));              // jeq #0
        assertThat(p[3]).isEqualTo(new SocketFilter.Insn((short) 0x06, 0, 0, 128));            // ret #snaplen
        assertThat(p[4]).isEqualTo(new SocketFilter.Insn((short) 0x06, 0, 0, 0));              // ret #0
        assertThat(SocketFilter.program(1, 128)).hasSize(1);
    }

    /** The running kernel accepts the program (random ancillary load and BPF_MOD) and reports it back. */
    @Test
    void theKernelAcceptsTheProgramOnARealSocket() {
        Sock libc = Native.load("c", Sock.class);
        int fd = libc.socket(2, 2, 0); // AF_INET, SOCK_DGRAM: any socket takes a classic filter
        assertThat(fd).isNotNegative();
        try {
            SocketFilter filter = new SocketFilter();
            assertThat(filter.installedLength(fd)).isZero();
            filter.attach(fd, 400, 128);
            assertThat(filter.installedLength(fd)).isEqualTo(5);
            filter.attach(fd, 1, 128);
            assertThat(filter.installedLength(fd)).isEqualTo(1);
        } finally {
            libc.close(fd);
        }
        assertThatThrownBy(() -> new SocketFilter().attach(-1, 10, 128)).hasMessageContaining("SO_ATTACH_FILTER refused");
    }
}
