package tailflow.provisioner.ssh;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/**
 * Public-key authentication with a key that ssh-agent holds: SSHJ builds the request as for a key
 * file, and the signature comes from the agent (which never hands out the private key).
 */
final class AgentAuth extends AuthPublickey {

    private final SshAgent agent;
    private final SshAgent.Identity identity;

    private AgentAuth(SshAgent agent, SshAgent.Identity identity, KeyProvider publicOnly) {
        super(publicOnly);
        this.agent = agent;
        this.identity = identity;
    }

    static AgentAuth of(SshAgent agent, SshAgent.Identity identity) throws IOException {
        PublicKey key;
        try {
            key = new Buffer.PlainBuffer(identity.blob()).readPublicKey();
        } catch (Buffer.BufferException e) {
            throw new IOException("ssh-agent key '" + identity.comment() + "' is of a type SSHJ cannot read", e);
        }
        return new AgentAuth(agent, identity, new KeyProvider() {
            @Override
            public PrivateKey getPrivate() throws IOException {
                throw new IOException("the private key of '" + identity.comment() + "' stays in ssh-agent");
            }

            @Override
            public PublicKey getPublic() {
                return key;
            }

            @Override
            public KeyType getType() {
                return KeyType.fromKey(key);
            }

            @Override
            public String toString() {
                return "ssh-agent key " + identity.comment();
            }
        });
    }

    /** The request as SSHJ built it (algorithm included), signed by the agent over session id + request. */
    @Override
    protected SSHPacket putSig(SSHPacket reqBuf) throws UserAuthException {
        try {
            byte[] request = reqBuf.getCompactData();
            Buffer.PlainBuffer read = new Buffer.PlainBuffer(request);
            read.readByte();
            read.readString();
            read.readString();
            read.readString();
            read.readBoolean();
            String algorithm = read.readString();
            int flags = algorithm.equals("rsa-sha2-256") ? SshAgent.RSA_SHA2_256
                    : algorithm.equals("rsa-sha2-512") ? SshAgent.RSA_SHA2_512 : 0;
            byte[] data = new Buffer.PlainBuffer().putString(params.getTransport().getSessionID()).putRawBytes(request)
                    .getCompactData();
            reqBuf.putString(agent.sign(identity.blob(), data, flags));
            return reqBuf;
        } catch (IOException e) {
            throw new UserAuthException("ssh-agent could not sign with '" + identity.comment() + "': " + e.getMessage(), e);
        }
    }
}
