package tailflow.agent.ops.systemd;

import java.util.logging.Level;

/**
 * java.util.logging has no syslog "notice" (normal but significant: started, reloaded, stopped);
 * this adds it between WARNING (900) and INFO (800), and maps every level to a syslog priority.
 */
public final class JournalLevel extends Level {
    public static final Level NOTICE = new JournalLevel("NOTICE", 850);

    private JournalLevel(String name, int value) {
        super(name, value);
    }

    /** syslog priority: 3 err, 4 warning, 5 notice, 6 info, 7 debug. */
    public static int priority(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return 3;
        } else if (v >= Level.WARNING.intValue()) {
            return 4;
        } else if (v >= NOTICE.intValue()) {
            return 5;
        } else if (v >= Level.INFO.intValue()) {
            return 6;
        }
        return 7;
    }
}
