package tailflow.agent.journal;

/** Names for the errno values libsystemd's journal calls return (Linux numbering, same on every arch here). */
final class Errno {
    static final int ENOENT = 2;
    static final int EACCES = 13;
    static final int EINVAL = 22;
    static final int EADDRNOTAVAIL = 99;

    private Errno() {}

    static String describe(int errno) {
        String name = switch (errno) {
            case 1 -> "EPERM (operation not permitted)";
            case ENOENT -> "ENOENT (no such file or directory)";
            case 5 -> "EIO (input/output error)";
            case 9 -> "EBADF (bad file descriptor)";
            case 12 -> "ENOMEM (out of memory)";
            case EACCES -> "EACCES (permission denied)";
            case 20 -> "ENOTDIR (not a directory)";
            case EINVAL -> "EINVAL (invalid argument)";
            case 24 -> "EMFILE (too many open files)";
            case 28 -> "ENOSPC (no space left on device)";
            case 74 -> "EBADMSG (journal file corrupt)";
            case 95 -> "EOPNOTSUPP (not supported, e.g. an unknown compression)";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL (no such entry)";
            case 105 -> "ENOBUFS (field too large)";
            case 116 -> "ESTALE (file removed)";
            default -> "";
        };
        return "errno " + errno + (name.isEmpty() ? "" : " " + name);
    }
}
