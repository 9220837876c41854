package tailflow.provisioner.bundle;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The agent's Debian package as the payload of a {@code deb} install: read here from the .deb
 * itself (an ar archive whose {@code control.tar.gz} holds {@code control}), so the machine that
 * runs the provisioner needs no dpkg.
 *
 * @param name    the Package field ({@code tailflow-agent})
 * @param version the Version field, compared with what {@code dpkg-query} reports on a host
 * @param sha256  of the .deb, checked on the host after upload and compared with the copy kept there
 */
public record DebPackage(Path file, String name, String version, String sha256, long size) {

    /** Where a host keeps the .debs the provisioner installed: Debian keeps package files under /var/cache too. */
    public static final String CACHE_DIR = "/var/cache/tailflow";
    public static final String KEPT_DIR = CACHE_DIR + "/debs";
    /** The .deb of the package running since the last verified apply: what a rollback reinstalls. */
    public static final String KEPT_CURRENT_NAME = "current.deb";
    public static final String KEPT_CURRENT = KEPT_DIR + "/" + KEPT_CURRENT_NAME;

    public static DebPackage read(Path file) throws IOException {
        Map<String, String> control = control(file);
        String name = control.get("Package");
        String version = control.get("Version");
        if (name == null || version == null) {
            throw new IOException(file + " is not a Debian package: its control file has no Package or Version field");
        }
        return new DebPackage(file, name, version, Hashing.sha256(file), Files.size(file));
    }

    /** The fields of the package's {@code control} file (continuation lines are left out: none is needed here). */
    static Map<String, String> control(Path deb) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(deb));
             ArArchiveInputStream ar = new ArArchiveInputStream(raw)) {
            ArArchiveEntry e;
            while ((e = ar.getNextEntry()) != null) {
                if (e.getName().equals("control.tar.gz")) {
                    return fields(controlFile(new TarArchiveInputStream(new GzipCompressorInputStream(ar)), deb));
                }
                if (e.getName().startsWith("control.tar")) {
                    throw new IOException(deb + ": " + e.getName() + " is not supported (the agent's build writes control.tar.gz)");
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(deb + " is not a readable Debian package: " + e.getMessage(), e);
        }
        throw new IOException(deb + " is not a Debian package: no control.tar.gz inside");
    }

    private static String controlFile(TarArchiveInputStream tar, Path deb) throws IOException {
        TarArchiveEntry t;
        while ((t = tar.getNextEntry()) != null) {
            if (t.getName().replaceFirst("^\\./", "").equals("control")) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                tar.transferTo(b);
                return b.toString(StandardCharsets.UTF_8);
            }
        }
        throw new IOException(deb + ": control.tar.gz has no control file");
    }

    static Map<String, String> fields(String control) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : control.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    /** The name Debian gives this file ({@code tailflow-agent_0.1.0_all.deb}), for messages. */
    public String fileName() {
        return name + "_" + version.replace(":", "%3a") + "_all.deb";
    }
}
