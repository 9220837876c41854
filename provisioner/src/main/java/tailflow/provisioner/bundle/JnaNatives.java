package tailflow.provisioner.bundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * JNA's jar carries its native dispatch library for ~30 platforms (1.7 of its 1.9 MB); a host
 * loads exactly one, from {@code com/sun/jna/<prefix>/}. This knows the prefixes a Linux machine
 * ({@code uname -m}) may load and rewrites the jar without the others.
 */
public final class JnaNatives {

    /** A Linux architecture family: the name its bundle carries and the JNA prefixes it keeps. */
    public record Family(String name, Set<String> prefixes) {}

    /** A native library under a platform directory: {@code com/sun/jna/<prefix>/<file>} (the directory entry too). */
    private static final Pattern NATIVE = Pattern.compile("com/sun/jna/([a-z0-9]+(?:-[a-z0-9]+)+)/(?:[^/]*jnidispatch[^/]*)?");

    private JnaNatives() {}

    /**
     * The family of {@code uname -m}, as JNA names its platform directories
     * ({@code Platform.RESOURCE_PREFIX}); empty for a machine this does not know (it gets every native).
     * 32-bit ARM keeps both {@code linux-arm} (hard float) and {@code linux-armel}: JNA chooses
     * between them at run time from the JVM's ELF flags.
     */
    public static Optional<Family> family(String machine) {
        String m = machine.strip().toLowerCase(Locale.ROOT);
        if (m.equals("x86_64") || m.equals("amd64")) {
            return Optional.of(new Family("x86_64", Set.of("linux-x86-64")));
        }
        if (m.equals("aarch64") || m.equals("arm64")) {
            return Optional.of(new Family("aarch64", Set.of("linux-aarch64")));
        }
        if (m.matches("armv[5-8]\\w*|armhf|armel|arm")) {
            return Optional.of(new Family("arm", Set.of("linux-arm", "linux-armel")));
        }
        if (m.matches("i[3-6]86|x86")) {
            return Optional.of(new Family("x86", Set.of("linux-x86")));
        }
        return Optional.empty();
    }

    /** Whether a bundle path is JNA's jar ({@code lib/jna-<version>.jar}). */
    public static boolean isJnaJar(String bundlePath) {
        return bundlePath.matches("lib/jna-[0-9][^/]*\\.jar");
    }

    /** The jar without the natives of other platforms; entries keep their order, times and content. */
    public static byte[] keepOnly(byte[] jar, Set<String> prefixes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(jar.length / 4);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Matcher m = NATIVE.matcher(e.getName());
                if (m.matches() && !prefixes.contains(m.group(1))) {
                    continue;
                }
                ZipEntry copy = new ZipEntry(e.getName());
                // local time as the jar has it: no time-zone conversion, so the same jar gives the same bytes anywhere
                copy.setTimeLocal(e.getTimeLocal());
                zip.putNextEntry(copy);
                in.transferTo(zip);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
