package tailflow.agent.loki;

/**
 * Snappy BLOCK compression of a whole push request (Loki rejects the framed format): libsnappy
 * when the system has it ({@link NativeSnappy}), else the Java encoder ({@link SnappyBlockEncoder}).
 * Both write the format of google/snappy's format_description.txt; their outputs may differ byte
 * for byte and decode to the same request. Not thread-safe: one instance per sending thread.
 */
public interface SnappyCompression {

    /** Compresses {@code in[0, length)} into {@code out}, which has room for {@link #maxCompressedLength}; returns the bytes written. */
    int compress(byte[] in, int length, byte[] out);

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
        SnappyBlockEncoder java = new SnappyBlockEncoder();
        return (in, length, out) -> java.compress(in, 0, length, out, 0);
    }
}
