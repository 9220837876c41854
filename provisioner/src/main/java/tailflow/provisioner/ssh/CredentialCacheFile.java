package tailflow.provisioner.ssh;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a user's credential cache holds, read from MIT's file format (versions 3 and 4, the ones
 * kinit writes), only to say precisely why a login cannot use it: whose cache it is and when its
 * ticket-granting ticket ended. Java's Krb5LoginModule reads the tickets itself; it just answers
 * "Unable to obtain Principal Name" for an expired one.
 *
 * @param principal the cache's default principal ({@code alice@LAB.EXAMPLE})
 * @param tgtEnd    end time of its ticket-granting ticket for its own realm, if the cache holds one
 */
record CredentialCacheFile(String principal, Optional<Instant> tgtEnd) {

    static Optional<CredentialCacheFile> read(Path file) {
        try {
            return Optional.of(parse(Files.readAllBytes(file)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static CredentialCacheFile parse(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int version = in.readUnsignedShort();
        if (version != 0x0503 && version != 0x0504) {
            throw new IOException("not a version 3 or 4 credential cache: 0x" + Integer.toHexString(version));
        }
        if (version == 0x0504) {
            in.skipNBytes(in.readUnsignedShort()); // header tags (KDC time offset)
        }
        String principal = principal(in);
        String realm = principal.substring(principal.lastIndexOf('@') + 1);
        String tgt = "krbtgt/" + realm + "@" + realm;
        Optional<Instant> tgtEnd = Optional.empty();
        while (true) {
            try {
                principal(in); // client
            } catch (EOFException end) {
                return new CredentialCacheFile(principal, tgtEnd);
            }
            String server = principal(in);
            in.readUnsignedShort(); // key's enctype
            if (version == 0x0503) {
                in.readUnsignedShort(); // repeated in version 3
            }
            data(in); // key
            in.readInt(); // authtime
            in.readInt(); // starttime
            long end = Integer.toUnsignedLong(in.readInt());
            in.readInt(); // renew_till
            in.readUnsignedByte(); // is_skey
            in.readInt(); // flags
            skipTagged(in); // addresses
            skipTagged(in); // authdata
            data(in); // ticket
            data(in); // second ticket
            if (server.equals(tgt)) {
                tgtEnd = Optional.of(Instant.ofEpochSecond(end));
            }
        }
    }

    private static String principal(DataInputStream in) throws IOException {
        in.readInt(); // name type
        int count = in.readInt();
        String realm = new String(data(in), StandardCharsets.UTF_8);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            parts.add(new String(data(in), StandardCharsets.UTF_8));
        }
        return String.join("/", parts) + "@" + realm;
    }

    /** Addresses and authdata: a count of (16-bit tag, data). */
    private static void skipTagged(DataInputStream in) throws IOException {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            in.readUnsignedShort();
            data(in);
        }
    }

    private static byte[] data(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("credential cache entry of " + length + " bytes, " + in.available() + " left");
        }
        return in.readNBytes(length);
    }
}
