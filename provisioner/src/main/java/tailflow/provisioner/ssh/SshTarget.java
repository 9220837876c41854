package tailflow.provisioner.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where and how to log in to one host.
 *
 * @param name           the inventory name (for messages)
 * @param address        what to connect to (ansible_host, ssh_config HostName, or the name)
 * @param identityFiles  private keys to offer, in order
 * @param become         run privileged steps through sudo
 * @param becomePassword sudo's password ({@code -K}); empty means passwordless sudo
 * @param jump           the host to tunnel through (ProxyJump), itself possibly behind another
 * @param gssapi         try gssapi-with-mic (Kerberos) first, as ssh does with {@code GSSAPIAuthentication yes}
 * @param gssapiServerIdentity ssh's {@code GSSAPIServerIdentity}: the host whose service ticket to use, if not the address
 */
public record SshTarget(String name, String address, int port, String user, List<Path> identityFiles,
                        boolean become, Optional<char[]> becomePassword, Optional<SshTarget> jump, boolean gssapi,
                        Optional<String> gssapiServerIdentity) {

    public SshTarget {
        identityFiles = List.copyOf(identityFiles);
    }

    /** A target logged in to with keys only. */
    public SshTarget(String name, String address, int port, String user, List<Path> identityFiles,
                     boolean become, Optional<char[]> becomePassword, Optional<SshTarget> jump) {
        this(name, address, port, user, identityFiles, become, becomePassword, jump, false, Optional.empty());
    }

    /** A target reached directly. */
    public SshTarget(String name, String address, int port, String user, List<Path> identityFiles,
                     boolean become, Optional<char[]> becomePassword) {
        this(name, address, port, user, identityFiles, become, becomePassword, Optional.empty());
    }

    /** {@code user@address:port}, for messages. */
    public String display() {
        return user + "@" + address + (port == 22 ? "" : ":" + port);
    }
}
