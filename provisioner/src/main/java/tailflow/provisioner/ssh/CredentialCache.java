package tailflow.provisioner.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where {@code kinit} keeps the user's tickets, named as MIT Kerberos names it
 * ({@code KRB5CCNAME}): {@code FILE:path} or a bare path, {@code DIR:dir} (its primary cache) or
 * {@code DIR::file}; without {@code KRB5CCNAME}, {@code /tmp/krb5cc_<uid>}. Java reads file
 * caches only: KEYRING, KCM and MEMORY caches are named as unsupported, with the way out.
 *
 * @param name        the cache as the user knows it, for messages
 * @param file        the cache file Java reads
 * @param unsupported why this cache cannot be read, if it cannot
 */
public record CredentialCache(String name, Path file, Optional<String> unsupported) {

    public static CredentialCache of(Optional<String> krb5ccname, long uid) {
        String name = krb5ccname.filter(s -> !s.isBlank()).orElse("FILE:/tmp/krb5cc_" + uid);
        int colon = name.indexOf(':');
        String type = colon > 0 && !name.startsWith("/") ? name.substring(0, colon).toUpperCase(Locale.ROOT) : "FILE";
        String residual = colon > 0 && !name.startsWith("/") ? name.substring(colon + 1) : name;
        return switch (type) {
            case "FILE" -> new CredentialCache(name, Path.of(residual), Optional.empty());
            case "DIR" -> residual.startsWith(":")
                    ? new CredentialCache(name, Path.of(residual.substring(1)), Optional.empty())
                    : new CredentialCache(name, primary(Path.of(residual)), Optional.empty());
            default -> new CredentialCache(name, Path.of(residual), Optional.of("Kerberos credential cache " + name
                    + " is of type " + type + ", which Java cannot read: run kinit with a file cache"
                    + " (export KRB5CCNAME=FILE:/tmp/krb5cc_" + uid + "; kinit)"));
        };
    }

    /** A DIR collection's current cache: the file named in its {@code primary} file (MIT's default tkt). */
    private static Path primary(Path dir) {
        try {
            String primary = Files.readString(dir.resolve("primary")).strip();
            return dir.resolve(primary.isEmpty() ? "tkt" : primary);
        } catch (IOException e) {
            return dir.resolve("tkt");
        }
    }
}
