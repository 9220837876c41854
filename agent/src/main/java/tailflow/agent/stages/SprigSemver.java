package tailflow.agent.stages;

import static tailflow.agent.stages.TemplateFunctions.arity;
import static tailflow.agent.stages.TemplateFunctions.str;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tailflow.agent.stages.GoTemplate.ExecError;

/**
 * sprig's semver and semverCompare over Masterminds/semver v3.3.1 (the version Promtail 3.4
 * vendors): its lenient version syntax ("v1.2"), ordering with prereleases, and constraints
 * ({@code =, !=, >, <, >=, <=, ~, ~>, ^}, x-ranges, "a - b" ranges, "," or space for and, "||"
 * for or; a prerelease matches only constraints that name one). The regular expressions are the
 * library's, run by RE2/J as Go's regexp runs them.
 */
final class SprigSemver {
    private SprigSemver() {}

    private static final String CV = "v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?"
            + "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?";
    private static final String OPS = "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^";
    private static final Pattern VERSION = Pattern.compile("^v?(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*))?(?:\\.(0|[1-9]\\d*))?"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");
    private static final Pattern ONE = Pattern.compile("^\\s*(" + OPS + ")\\s*(" + CV + ")\\s*$");
    private static final Pattern RANGE = Pattern.compile("\\s*(" + CV + ")\\s+-\\s+(" + CV + ")\\s*");
    private static final Pattern FIND = Pattern.compile("(" + OPS + ")\\s*(" + CV + ")");
    private static final Pattern VALID = Pattern.compile("^(\\s*(" + OPS + ")\\s*(" + CV + ")\\s*)((?:\\s+|,\\s*)(" + OPS
            + ")\\s*(" + CV + ")\\s*)*$");

    /** A parsed version; {@code .Major} and the other methods of *semver.Version as fields. */
    record Version(long major, long minor, long patch, String pre, String meta, String original) implements GoStruct {
        @Override
        public String toString() {
            return major + "." + minor + "." + patch + (pre.isEmpty() ? "" : "-" + pre) + (meta.isEmpty() ? "" : "+" + meta);
        }

        @Override
        public Object field(String name) {
            return switch (name) {
                case "Major" -> major;
                case "Minor" -> minor;
                case "Patch" -> patch;
                case "Prerelease" -> pre;
                case "Metadata" -> meta;
                case "Original" -> original;
                case "String" -> toString();
                default -> null;
            };
        }

        int compare(Version o) {
            int c = Long.compareUnsigned(major, o.major);
            c = c != 0 ? c : Long.compareUnsigned(minor, o.minor);
            c = c != 0 ? c : Long.compareUnsigned(patch, o.patch);
            if (c != 0) {
                return c;
            }
            if (pre.isEmpty() && o.pre.isEmpty()) {
                return 0;
            }
            if (pre.isEmpty()) {
                return 1;
            }
            return o.pre.isEmpty() ? -1 : comparePrerelease(pre, o.pre);
        }
    }

    private record Constraint(String op, Version con, boolean dirty, boolean minorDirty, boolean patchDirty) {}

    static void register(Map<String, TemplateFunctions.Fn> f) {
        f.put("semver", a -> parse(str(TemplateFunctions.one(a, "semver"), "semver"), "semver"));
        f.put("semverCompare", a -> {
            arity(a, 2, 2, "semverCompare");
            List<List<Constraint>> ors = constraints(str(a.get(0), "semverCompare"));
            Version v = parse(str(a.get(1), "semverCompare"), "semverCompare");
            for (List<Constraint> and : ors) {
                if (and.stream().allMatch(c -> check(v, c))) {
                    return true;
                }
            }
            return false;
        });
    }

    static Version parse(String v, String fn) throws ExecError {
        Matcher m = VERSION.matcher(v);
        if (!m.find()) {
            throw new ExecError("error calling " + fn + ": Invalid Semantic Version");
        }
        try {
            return new Version(Long.parseUnsignedLong(m.group(1)), m.group(2) == null ? 0 : Long.parseUnsignedLong(m.group(2)),
                    m.group(3) == null ? 0 : Long.parseUnsignedLong(m.group(3)), nz(m.group(4)), nz(m.group(5)), v);
        } catch (NumberFormatException e) {
            throw new ExecError("error calling " + fn + ": Error parsing version segment: " + e.getMessage());
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static List<List<Constraint>> constraints(String c) throws ExecError {
        Matcher r = RANGE.matcher(c);
        StringBuilder rewritten = new StringBuilder();
        int at = 0;
        while (r.find()) {
            rewritten.append(c, at, r.start()).append(">= ").append(r.group(1)).append(", <= ").append(r.group(11)).append(' ');
            at = r.end();
        }
        c = rewritten.append(c.substring(at)).toString();
        List<List<Constraint>> ors = new ArrayList<>();
        for (String or : c.split("\\|\\|", -1)) {
            if (!VALID.matcher(or).find()) {
                throw new ExecError("error calling semverCompare: improper constraint: " + or);
            }
            List<Constraint> and = new ArrayList<>();
            Matcher m = FIND.matcher(or);
            while (m.find()) {
                and.add(constraint(m.group()));
            }
            ors.add(and);
        }
        return ors;
    }

    private static Constraint constraint(String s) throws ExecError {
        Matcher m = ONE.matcher(s);
        if (!m.find()) {
            throw new ExecError("error calling semverCompare: improper constraint: " + s);
        }
        String major = nz(m.group(3));
        String minor = nz(m.group(4));
        String patch = nz(m.group(5));
        String pre = nz(m.group(6));
        String ver = m.group(2);
        boolean dirty = false;
        boolean minorDirty = false;
        boolean patchDirty = false;
        if (isX(major) || major.isEmpty()) {
            ver = "0.0.0" + pre;
            dirty = true;
        } else if (isX(trimDot(minor)) || minor.isEmpty()) {
            ver = major + ".0.0" + pre;
            dirty = true;
            minorDirty = true;
        } else if (isX(trimDot(patch)) || patch.isEmpty()) {
            ver = major + minor + ".0" + pre;
            dirty = true;
            patchDirty = true;
        }
        Version con;
        try {
            con = parse(ver, "semverCompare");
        } catch (ExecError e) {
            throw new ExecError("error calling semverCompare: constraint Parser Error");
        }
        return new Constraint(m.group(1), con, dirty, minorDirty, patchDirty);
    }

    private static String trimDot(String s) {
        return s.startsWith(".") ? s.substring(1) : s;
    }

    private static boolean isX(String s) {
        return s.equals("x") || s.equals("X") || s.equals("*");
    }

    private static boolean check(Version v, Constraint c) {
        Version k = c.con();
        boolean preOnlyInVersion = !v.pre().isEmpty() && k.pre().isEmpty();
        switch (c.op()) {
            case "", "=" -> {
                if (preOnlyInVersion) {
                    return false;
                }
                return c.dirty() ? tilde(v, c) : v.compare(k) == 0;
            }
            case "!=" -> {
                if (c.dirty()) {
                    if (preOnlyInVersion) {
                        return false;
                    }
                    if (k.major() != v.major()) {
                        return true;
                    }
                    if (k.minor() != v.minor() && !c.minorDirty()) {
                        return true;
                    } else if (c.minorDirty()) {
                        return false;
                    } else if (k.patch() != v.patch() && !c.patchDirty()) {
                        return true;
                    } else if (c.patchDirty()) {
                        return (!v.pre().isEmpty() || !k.pre().isEmpty()) && comparePrerelease(v.pre(), k.pre()) != 0;
                    }
                }
                return v.compare(k) != 0;
            }
            case ">" -> {
                if (preOnlyInVersion) {
                    return false;
                }
                if (!c.dirty()) {
                    return v.compare(k) > 0;
                }
                if (v.major() != k.major()) {
                    return v.major() > k.major();
                }
                if (c.minorDirty()) {
                    return false;
                }
                return c.patchDirty() ? v.minor() > k.minor() : v.compare(k) > 0;
            }
            case "<" -> {
                return !preOnlyInVersion && v.compare(k) < 0;
            }
            case ">=", "=>" -> {
                return !preOnlyInVersion && v.compare(k) >= 0;
            }
            case "<=", "=<" -> {
                if (preOnlyInVersion) {
                    return false;
                }
                if (!c.dirty()) {
                    return v.compare(k) <= 0;
                }
                return !(v.major() > k.major() || v.major() == k.major() && v.minor() > k.minor() && !c.minorDirty());
            }
            case "~", "~>" -> {
                return !preOnlyInVersion && tilde(v, c);
            }
            default -> {
                return !preOnlyInVersion && caret(v, c);
            }
        }
    }

    private static boolean tilde(Version v, Constraint c) {
        Version k = c.con();
        if (!v.pre().isEmpty() && k.pre().isEmpty() || v.compare(k) < 0) {
            return false;
        }
        if (k.major() == 0 && k.minor() == 0 && k.patch() == 0 && !c.minorDirty() && !c.patchDirty()) {
            return true;
        }
        return v.major() == k.major() && (v.minor() == k.minor() || c.minorDirty());
    }

    private static boolean caret(Version v, Constraint c) {
        Version k = c.con();
        if (v.compare(k) < 0) {
            return false;
        }
        if (k.major() > 0 || c.minorDirty()) {
            return v.major() == k.major();
        }
        if (v.major() > 0) {
            return false;
        }
        if (k.minor() > 0 || c.patchDirty()) {
            return v.minor() == k.minor();
        }
        if (v.minor() > 0) {
            return false;
        }
        return k.patch() == v.patch();
    }

    static int comparePrerelease(String v, String o) {
        String[] s = v.split("\\.", -1);
        String[] t = o.split("\\.", -1);
        for (int i = 0; i < Math.max(s.length, t.length); i++) {
            int d = comparePart(i < s.length ? s[i] : "", i < t.length ? t[i] : "");
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }

    private static int comparePart(String s, String o) {
        if (s.equals(o)) {
            return 0;
        }
        if (s.isEmpty()) {
            return -1;
        }
        if (o.isEmpty()) {
            return 1;
        }
        boolean sNum = s.chars().allMatch(Character::isDigit);
        boolean oNum = o.chars().allMatch(Character::isDigit);
        if (!sNum && !oNum) {
            return s.compareTo(o) > 0 ? 1 : -1;
        }
        if (!oNum) {
            return -1;
        }
        if (!sNum) {
            return 1;
        }
        return Long.compareUnsigned(Long.parseUnsignedLong(s), Long.parseUnsignedLong(o)) > 0 ? 1 : -1;
    }
}
