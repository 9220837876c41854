package tailflow.provisioner.facts;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code key=value} lines remote scripts print (facts, status), read one way: the key is
 * everything before the first {@code =}, the value the rest without surrounding blanks; lines
 * without a key are not data (a later duplicate wins, as a shell variable assignment would).
 */
public final class KeyValueLines {

    private KeyValueLines() {}

    public static Map<String, String> parse(String output) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                kv.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return kv;
    }
}
