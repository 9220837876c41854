package tailflow.agent.sflow;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The kernel-side 1-in-N decision: a classic BPF program, attached with SO_ATTACH_FILTER to the
 * capture socket, that loads the kernel's per-packet random number (ancillary load
 * SKF_AD_OFF + SKF_AD_RANDOM), takes it modulo N and accepts only residue 0. Packets it rejects are
 * never copied to the ring, so user space wakes once per sample, not once per packet.
 * Built by hand (no libpcap compiler: pcap's filter language has no random primitive).
 */
public final class SocketFilter {
    // Linux generic values, the same on x86_64, armv7 and aarch64.
    static final int SOL_SOCKET = 1;
    static final int SO_ATTACH_FILTER = 26;
    static final int SO_GET_FILTER = SO_ATTACH_FILTER;
    static final int SKF_AD_OFF = -0x1000;
    static final int SKF_AD_RANDOM = 56;

    static final short BPF_LD_W_ABS = 0x20;
    static final short BPF_ALU_MOD_K = 0x94;
    static final short BPF_JMP_JEQ_K = 0x15;
    static final short BPF_RET_K = 0x06;

    interface Calls extends Library {
        int setsockopt(int fd, int level, int name, Pointer value, int length) throws LastErrorException;

        int getsockopt(int fd, int level, int name, Pointer value, IntByReference length) throws LastErrorException;
    }

    /** One instruction of struct sock_filter. */
    record Insn(short code, int jt, int jf, int k) {}

    private final Calls calls;

    public SocketFilter() {
        this.calls = Native.load("c", Calls.class);
    }

    /** The program: accept 1 in {@code rate} packets, keeping at most {@code snaplen} bytes. */
    static Insn[] program(int rate, int snaplen) {
        if (rate <= 1) {
            return new Insn[] {new Insn(BPF_RET_K, 0, 0, snaplen)};
        }
        return new Insn[] {
            new Insn(BPF_LD_W_ABS, 0, 0, SKF_AD_OFF + SKF_AD_RANDOM), // A = random u32
            new Insn(BPF_ALU_MOD_K, 0, 0, rate),                       // A = A % rate
            new Insn(BPF_JMP_JEQ_K, 0, 1, 0),                          // A == 0 ? next : skip one
            new Insn(BPF_RET_K, 0, 0, snaplen),                        // accept
            new Insn(BPF_RET_K, 0, 0, 0),                              // drop
        };
    }

    /** Attaches the program; throws with errno's text when the kernel refuses it. */
    public void attach(int fd, int rate, int snaplen) {
        Insn[] prog = program(rate, snaplen);
        Memory insns = new Memory(8L * prog.length);
        for (int i = 0; i < prog.length; i++) {
            insns.setShort(8L * i, prog[i].code());
            insns.setByte(8L * i + 2, (byte) prog[i].jt());
            insns.setByte(8L * i + 3, (byte) prog[i].jf());
            insns.setInt(8L * i + 4, prog[i].k());
        }
        // struct sock_fprog { unsigned short len; struct sock_filter *filter; }: the pointer sits at its
        // own alignment, which is its size on both ILP32 (armv7) and LP64.
        Memory fprog = new Memory(2L * Native.POINTER_SIZE);
        fprog.clear();
        fprog.setShort(0, (short) prog.length);
        fprog.setPointer(Native.POINTER_SIZE, insns);
        try {
            calls.setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, fprog, (int) fprog.size());
        } catch (LastErrorException e) {
            throw new IllegalStateException("SO_ATTACH_FILTER refused: errno " + e.getErrorCode() + " "
                    + e.getMessage(), e);
        }
    }

    /** Instructions in the socket's current filter (0 when none); lets us notice a replaced filter. */
    public int installedLength(int fd) {
        IntByReference len = new IntByReference(0);
        try {
            calls.getsockopt(fd, SOL_SOCKET, SO_GET_FILTER, Pointer.NULL, len);
        } catch (LastErrorException e) {
            return -1;
        }
        return len.getValue();
    }

    static int programLength(int rate) {
        return rate <= 1 ? 1 : 5;
    }
}
