package tailflow.agent.journal;

import java.io.IOException;

/** A libsystemd call failed; the message names the call and the errno. */
public final class JournalException extends IOException {
    private final int errno;

    JournalException(String call, int negativeErrno) {
        super(call + " failed: " + Errno.describe(-negativeErrno));
        this.errno = -negativeErrno;
    }

    public int errno() {
        return errno;
    }
}
