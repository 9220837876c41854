package tailflow.provisioner.inventory;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Types an INI value as Ansible's literal evaluation (Python's ast.literal_eval) does: integers,
 * True/False and {@code [..]}/{@code {..}} literals become numbers, booleans, lists and maps;
 * anything else stays a string (lower-case true/false too, as ansible-inventory shows). Flow literals are read as YAML, which accepts Python's quoting.
 */
final class LiteralValue {

    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");

    private LiteralValue() {}

    static Object parse(String text) {
        if (INTEGER.matcher(text).matches()) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                return text;
            }
        }
        if (text.equals("True")) {
            return Boolean.TRUE;
        }
        if (text.equals("False")) {
            return Boolean.FALSE;
        }
        if ((text.startsWith("[") && text.endsWith("]")) || (text.startsWith("{") && text.endsWith("}"))) {
            try {
                return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            } catch (RuntimeException e) {
                return text;
            }
        }
        return text;
    }
}
