package tailflow.provisioner.ssh;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of ssh-agent's protocol over its UNIX socket ({@code SSH_AUTH_SOCK};
 * draft-miller-ssh-agent): list the identities, and have one sign data. The private keys never
 * leave the agent. One request per connection, so a connection is never shared between threads.
 */
public final class SshAgent {

    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    private static final byte FAILURE = 5;
    /** Sign flags for RSA keys: which hash the signature uses. */
    static final int RSA_SHA2_256 = 2;
    static final int RSA_SHA2_512 = 4;
    private static final int MAX_MESSAGE = 256 * 1024;

    /** An identity the agent holds: the public key blob (SSH wire format) and its comment. */
    public record Identity(byte[] blob, String comment) {}

    private final Path socket;

    public SshAgent(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    public List<Identity> identities() throws IOException {
        Reader r = request(new byte[] {REQUEST_IDENTITIES}, IDENTITIES_ANSWER);
        int n = r.int32();
        List<Identity> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Identity(r.bytes(), new String(r.bytes(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** The signature blob ({@code string algorithm, string signature}) over {@code data}. */
    public byte[] sign(byte[] keyBlob, byte[] data, int flags) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeByte(SIGN_REQUEST);
        out.writeInt(keyBlob.length);
        out.write(keyBlob);
        out.writeInt(data.length);
        out.write(data);
        out.writeInt(flags);
        return request(b.toByteArray(), SIGN_RESPONSE).bytes();
    }

    private Reader request(byte[] message, byte expected) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message).flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteBuffer len = read(ch, 4);
            int n = len.getInt();
            if (n < 1 || n > MAX_MESSAGE) {
                throw new IOException("ssh-agent at " + socket + " answered a message of " + n + " bytes");
            }
            ByteBuffer body = read(ch, n);
            byte type = body.get();
            if (type == FAILURE) {
                throw new IOException("ssh-agent at " + socket + " refused the request");
            }
            if (type != expected) {
                throw new IOException("ssh-agent at " + socket + " answered message type " + type + ", expected " + expected);
            }
            return new Reader(body);
        }
    }

    private static ByteBuffer read(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("ssh-agent closed the connection mid-answer");
            }
        }
        return b.flip();
    }

    private static final class Reader {
        private final ByteBuffer b;

        Reader(ByteBuffer b) {
            this.b = b;
        }

        int int32() throws IOException {
            if (b.remaining() < 4) {
                throw new IOException("short ssh-agent answer");
            }
            return b.getInt();
        }

        byte[] bytes() throws IOException {
            int n = int32();
            if (n < 0 || n > b.remaining()) {
                throw new IOException("short ssh-agent answer");
            }
            byte[] out = new byte[n];
            b.get(out);
            return out;
        }
    }
}
