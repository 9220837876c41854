package tailflow.provisioner.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Strict host key checking against OpenSSH known_hosts files (hashed entries included, through
 * SSHJ's parser). Unknown keys are refused unless {@code acceptNew}, which appends them to the
 * write file; a changed key is always refused. One instance is shared by all connections of a
 * run; appends are serialized.
 */
public final class KnownHosts {

    /** What a key check concluded. */
    public enum Verdict { KNOWN, ACCEPTED_NEW, UNKNOWN, CHANGED }

    private final List<Path> files;
    private final Path writeTo;
    private final boolean acceptNew;

    public KnownHosts(List<Path> files, Path writeTo, boolean acceptNew) {
        this.files = List.copyOf(files);
        this.writeTo = writeTo;
        this.acceptNew = acceptNew;
    }

    public Path writeTo() {
        return writeTo;
    }

    public synchronized Verdict check(String host, int port, PublicKey key) {
        boolean changed = false;
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            Checker checker;
            try {
                checker = new Checker(file);
            } catch (IOException e) {
                continue;
            }
            if (checker.verify(host, port, key)) {
                return Verdict.KNOWN;
            }
            changed |= checker.changed;
        }
        if (changed) {
            return Verdict.CHANGED;
        }
        if (!acceptNew) {
            return Verdict.UNKNOWN;
        }
        try {
            Files.createDirectories(writeTo.toAbsolutePath().getParent());
            Files.writeString(writeTo, hostToken(host, port) + " " + KeyType.fromKey(key) + " "
                            + Base64.getEncoder().encodeToString(blob(key)) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot record the new host key in " + writeTo + ": " + e.getMessage(), e);
        }
        return Verdict.ACCEPTED_NEW;
    }

    /** {@code SHA256:...} as OpenSSH prints it. */
    public static String fingerprint(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob(key));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String keyType(PublicKey key) {
        return KeyType.fromKey(key).toString();
    }

    static String hostToken(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    private static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    /** SSHJ's parser, told to answer instead of deciding: unknown -> false, changed -> remembered. */
    private static final class Checker extends OpenSSHKnownHosts {
        boolean changed;

        Checker(Path file) throws IOException {
            super(file.toFile());
        }

        @Override
        protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
            return false;
        }

        @Override
        protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
            changed = true;
            return false;
        }
    }
}
