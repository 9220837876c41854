package tailflow.agent.loki;

/**
 * Snappy BLOCK compression of a whole push request (Loki rejects the framed format): libsnappy
 * when the system has it ({@link NativeSnappy}), else the Java encoder ({@link SnappyBlockEncoder}).
 * Both write the format of google/snappy's format_description.txt; their outputs may differ byte
 * for byte and decode to the same request. Not thread-safe: one instance per sending thread.
 */
public interface SnappyCompression {

    /** Compresses {@code in[0, length)}; returns the compressed length, the bytes being {@link #output()}'s first ones. */
    int compress(byte[] in, int length);

    /** The last compression's result (valid until the next call). */
    byte[] output();

    /** The most bytes a compression of {@code length} bytes can take (snappy's bound, the same for both). */
    static int maxCompressedLength(int length) {
        return 32 + length + length / 6;
    }

    /**
     * The compressor to use: {@code "java"} forces the Java encoder (a fallback that can be chosen with
     * {@code -Dtailflow.snappy=java}); anything else takes libsnappy when it loads.
     */
    static SnappyCompression choose(String preference) {
        if (!"java".equals(preference)) {
            java.util.Optional<SnappyCompression> native_ = NativeSnappy.load();
            if (native_.isPresent()) {
                return native_.get();
            }
        }
        return new JavaSnappy();
    }

    /** The Java encoder; its output array has room for the worst case, as it requires. */
    final class JavaSnappy implements SnappyCompression {
        private final SnappyBlockEncoder encoder = new SnappyBlockEncoder();
        private byte[] out = new byte[0];

        @Override
        public int compress(byte[] in, int length) {
            if (out.length < maxCompressedLength(length)) {
                out = new byte[maxCompressedLength(length)];
            }
            return encoder.compress(in, 0, length, out, 0);
        }

        @Override
        public byte[] output() {
            return out;
        }
    }
}
