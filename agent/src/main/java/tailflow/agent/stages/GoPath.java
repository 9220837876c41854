package tailflow.agent.stages;

import java.util.ArrayList;
import java.util.List;

/** Go's path.Clean and path.Dir (slash-separated; filepath's are the same on Linux). */
final class GoPath {
    private GoPath() {}

    /** Shortest equivalent path: repeated slashes, "." and "dir/.." elements removed; "" is ".". */
    static String clean(String p) {
        if (p.isEmpty()) {
            return ".";
        }
        boolean rooted = p.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String e : p.split("/")) {
            if (e.isEmpty() || e.equals(".")) {
                continue;
            }
            if (e.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                } else if (!rooted) {
                    out.add("..");
                }
                continue;
            }
            out.add(e);
        }
        String joined = String.join("/", out);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** All but the last element, cleaned. */
    static String dir(String p) {
        int slash = p.lastIndexOf('/');
        return clean(p.substring(0, slash + 1));
    }
}
