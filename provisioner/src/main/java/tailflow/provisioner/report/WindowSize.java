package tailflow.provisioner.report;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntSupplier;

/** The width of the terminal on stdout, from {@code ioctl(1, TIOCGWINSZ)} (the JDK has no API for it). */
final class WindowSize {

    interface LibC extends Library {
        int ioctl(int fd, NativeLong request, byte[] winsize);
    }

    /** Linux's TIOCGWINSZ (x86, arm, aarch64); macOS and the BSDs use the _IOR('t', 104, struct winsize) encoding. */
    private static final long TIOCGWINSZ_LINUX = 0x5413L;
    private static final long TIOCGWINSZ_BSD = 0x40087468L;

    private WindowSize() {}

    /** Columns of stdout's terminal, 0 when it cannot be asked (then COLUMNS or 80 is used). */
    static IntSupplier ofStdout() {
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (LinkageError e) {
            return () -> 0;
        }
        NativeLong request = new NativeLong(Platform.isMac() || Platform.isFreeBSD() ? TIOCGWINSZ_BSD : TIOCGWINSZ_LINUX);
        return () -> {
            byte[] ws = new byte[8]; // struct winsize: unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel
            if (libc.ioctl(1, request, ws) != 0) {
                return 0;
            }
            return Short.toUnsignedInt(ByteBuffer.wrap(ws).order(ByteOrder.nativeOrder()).getShort(2));
        };
    }
}
