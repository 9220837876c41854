package tailflow.agent.loki;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Snappy block compression by the system's libsnappy (Debian {@code libsnappy1v5}, the reference
 * implementation), called through JNA's direct mapping once per push.
 *
 * <p>Why: at the agent's C1-only JIT the Java encoder ({@link SnappyBlockEncoder}) costs 5.3 CPU
 * seconds per GiB by itself, three quarters of the whole agent's 7 s/GiB budget
 * (src-test/bench/snappy); libsnappy does the same work for a fraction (numbers in the commit and
 * in that bench). The input and output live in native buffers kept between calls: JNA would copy
 * a {@code byte[]} argument in and out on every call (HotSpot's GetByteArrayElements copies), the
 * whole output array included; here the request is copied in once and only the compressed bytes
 * are copied back.
 *
 * <p>Absent library: {@link #load} says so and the caller keeps the Java encoder.
 */
final class NativeSnappy implements SnappyCompression {

    private static final Logger LOG = Logger.getLogger(NativeSnappy.class.getName());
    private static final int SNAPPY_OK = 0;

    /** The natives, bound once to the libsnappy found (JNA direct mapping: no proxy, no boxing of arrays). */
    static final class Natives {
        static native int snappy_compress(Pointer input, NativeLong inputLength, Pointer compressed, Pointer compressedLength);

        private Natives() {}
    }

    /** Binds {@link Natives} to libsnappy; empty (and why, logged once) when it cannot. */
    static Optional<SnappyCompression> load() {
        return Binding.BOUND ? Optional.of(new NativeSnappy()) : Optional.empty();
    }

    /** The one binding per JVM (JNA registers natives per class), made when first asked for. */
    private static final class Binding {
        static final boolean BOUND = bind();

        private static boolean bind() {
            for (String name : new String[] {"libsnappy.so.1", "snappy"}) {
                try {
                    Native.register(Natives.class, NativeLibrary.getInstance(name));
                    return true;
                } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
                    LOG.fine(() -> "libsnappy as " + name + ": " + e.getMessage());
                }
            }
            LOG.info("libsnappy not found (Debian: libsnappy1v5); pushes are compressed by the Java encoder");
            return false;
        }
    }

    private Memory input = new Memory(64 * 1024);
    private Memory output = new Memory(SnappyCompression.maxCompressedLength(64 * 1024));
    private final Memory outputLength = new Memory(Native.LONG_SIZE);
    private byte[] out = new byte[0];

    private NativeSnappy() {}

    @Override
    public int compress(byte[] in, int length) {
        if (input.size() < length) {
            input.close();
            output.close();
            long size = (length + 0xFFFFL) & ~0xFFFFL; // whole 64 KiB steps: one regrowth per larger batch
            input = new Memory(size);
            output = new Memory(SnappyCompression.maxCompressedLength((int) size));
        }
        input.write(0, in, 0, length);
        outputLength.setNativeLong(0, new NativeLong(output.size()));
        int status = Natives.snappy_compress(input, new NativeLong(length), output, outputLength);
        if (status != SNAPPY_OK) {
            throw new IllegalStateException("snappy_compress failed with status " + status);
        }
        int n = (int) outputLength.getNativeLong(0).longValue();
        if (out.length < n) {
            out = new byte[n + n / 4]; // the compressed size, not the worst case: a quarter of the heap that needs
        }
        output.read(0, out, 0, n);
        return n;
    }

    @Override
    public byte[] output() {
        return out;
    }
}
