package tailflow.provisioner.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/**
 * Opens {@link SshConnection}s: strict host keys through {@link KnownHosts}, public-key auth
 * with the target's key files, a connect timeout, and retries with doubling backoff for
 * network errors only (a refused host key or a rejected login will not change by retrying).
 */
public final class SshConnector {

    // Building the algorithm lists is costly (~100 ms); one config serves every connection.
    private final DefaultConfig config = new LeanSshConfig();
    private final KnownHosts knownHosts;
    private final SshOptions options;
    private final java.util.Optional<SshAgent> agent;
    private final java.util.Optional<KerberosLogin> kerberos;

    public SshConnector(KnownHosts knownHosts, SshOptions options) {
        this(knownHosts, options, java.util.Optional.empty());
    }

    /** @param agent ssh-agent whose keys are offered first, as ssh does ({@code SSH_AUTH_SOCK}) */
    public SshConnector(KnownHosts knownHosts, SshOptions options, java.util.Optional<SshAgent> agent) {
        this(knownHosts, options, agent, java.util.Optional.empty());
    }

    /** @param kerberos the user's ticket, for targets with GSSAPIAuthentication (tried before any key, as ssh does) */
    public SshConnector(KnownHosts knownHosts, SshOptions options, java.util.Optional<SshAgent> agent,
                        java.util.Optional<KerberosLogin> kerberos) {
        this.knownHosts = knownHosts;
        this.options = options;
        this.agent = agent;
        this.kerberos = kerberos;
    }

    public SshConnection connect(SshTarget target) throws UnreachableException {
        Duration backoff = options.firstBackoff();
        UnreachableException last = null;
        for (int attempt = 1; attempt <= options.attempts(); attempt++) {
            try {
                return attempt(target);
            } catch (RetryableException e) {
                last = new UnreachableException("cannot connect to " + target.display() + " after " + attempt
                        + " attempt" + (attempt == 1 ? "" : "s") + ": " + e.getMessage(), e.getCause());
            }
            if (attempt < options.attempts()) {
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UnreachableException("interrupted while connecting to " + target.display());
                }
                backoff = backoff.multipliedBy(2);
            }
        }
        throw last;
    }

    /** A failure worth another attempt. */
    private static final class RetryableException extends Exception {
        RetryableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private SshConnection attempt(SshTarget target) throws UnreachableException, RetryableException {
        AtomicReference<KnownHosts.Verdict> verdict = new AtomicReference<>();
        AtomicReference<PublicKey> seen = new AtomicReference<>();
        SSHClient client = new SSHClient(config);
        client.setConnectTimeout((int) options.connectTimeout().toMillis());
        client.addHostKeyVerifier(new HostKeyVerifier() {
            @Override
            public boolean verify(String hostname, int port, PublicKey key) {
                seen.set(key);
                KnownHosts.Verdict v = knownHosts.check(target.address(), target.port(), key);
                verdict.set(v);
                return v == KnownHosts.Verdict.KNOWN || v == KnownHosts.Verdict.ACCEPTED_NEW;
            }

            @Override
            public List<String> findExistingAlgorithms(String hostname, int port) {
                return List.of();
            }
        });
        boolean ok = false;
        List<AuthMethod> methods = new ArrayList<>();
        GssApiAuth gssapi = null;
        String kerberosProblem = null;
        SshConnection hop = null;
        try {
            // SSHJ asks for the service ticket of host@<the name the client was connected with>
            String gssHost = target.gssapi() ? kerberosLogin().serviceHost(target.address(), target.gssapiServerIdentity())
                    : target.address();
            if (target.jump().isPresent()) {
                // ProxyJump: the jump host is logged in to (its key checked like any other), then a
                // direct-tcpip channel through it carries this connection
                hop = jumpThrough(target);
                client.connectVia(hop.client().newDirectConnection(target.address(), target.port()), gssHost, target.port());
            } else if (!gssHost.equals(target.address())) {
                // connect to the address, named as the service ticket's host
                InetAddress resolved = InetAddress.getByName(target.address());
                client.connect(InetAddress.getByAddress(gssHost, resolved.getAddress()), target.port());
            } else {
                client.connect(target.address(), target.port());
            }
            if (target.gssapi()) {
                // ssh's order: gssapi-with-mic, then public keys (agent's, then files)
                KerberosLogin.Outcome login = kerberosLogin().login();
                if (login.context().isPresent()) {
                    gssapi = new GssApiAuth(login.context().get(), gssHost);
                    methods.add(gssapi);
                } else {
                    kerberosProblem = login.problemOn(target.display());
                }
            }
            List<String> agentKeys = new ArrayList<>();
            if (agent.isPresent()) {
                try {
                    for (SshAgent.Identity id : agent.get().identities()) {
                        methods.add(AgentAuth.of(agent.get(), id));
                        agentKeys.add(id.comment());
                    }
                } catch (IOException e) {
                    // as ssh: an unusable agent is skipped, key files still count
                    agentKeys.add("(ssh-agent at " + agent.get().socket() + " unusable: " + e.getMessage() + ")");
                }
            }
            List<KeyProvider> keys = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            for (Path key : target.identityFiles()) {
                if (!Files.isReadable(key)) {
                    continue;
                }
                try {
                    keys.add(client.loadKeys(key.toString()));
                } catch (IOException e) {
                    unreadable.add(key + " (" + e.getMessage() + ")");
                }
            }
            keys.forEach(k -> methods.add(new AuthPublickey(k)));
            if (methods.isEmpty()) {
                throw new UnreachableException((kerberosProblem == null ? "" : kerberosProblem + "; and ")
                        + "no usable private key for " + target.display() + " (tried "
                        + target.identityFiles() + (unreadable.isEmpty() ? "" : "; unreadable: " + unreadable)
                        + (agent.isEmpty() ? "; no ssh-agent: SSH_AUTH_SOCK is not set" : "; ssh-agent: " + agentKeys)
                        + "); set ansible_ssh_private_key_file or --private-key, or add the key to ssh-agent");
            }
            client.auth(target.user(), methods);
            ok = true;
            return new SshConnection(client, target, hop == null ? List.of() : hop.chain());
        } catch (UserAuthException e) {
            int keyCount = methods.size() - (gssapi == null ? 0 : 1);
            String kerberosPart = gssapi != null ? "gssapi-with-mic: " + gssapi.whyNot() + "; "
                    : kerberosProblem != null ? kerberosProblem + "; " : "";
            throw new UnreachableException("login as " + target.user() + " on " + target.display()
                    + " refused (" + kerberosPart + (keyCount == 0 ? "no key offered"
                    : "public key not accepted; offered " + keyCount + " key(s)") + "): " + e.getMessage(), e);
        } catch (IOException e) {
            KnownHosts.Verdict v = verdict.get();
            if (v == KnownHosts.Verdict.UNKNOWN || v == KnownHosts.Verdict.CHANGED) {
                throw new UnreachableException(hostKeyMessage(target, v, seen.get()), e);
            }
            if (isNetwork(e)) {
                throw new RetryableException(describe(e), e);
            }
            throw new UnreachableException("SSH to " + target.display() + " failed: " + describe(e), e);
        } finally {
            if (!ok) {
                try {
                    client.close();
                } catch (IOException e) {
                    // nothing to save
                }
                if (hop != null) {
                    hop.close();
                }
            }
        }
    }

    private KerberosLogin kerberosLogin() {
        return kerberos.orElseThrow(() -> new IllegalStateException("GSSAPIAuthentication is set but the connector has no Kerberos login"));
    }

    private SshConnection jumpThrough(SshTarget target) throws UnreachableException, RetryableException {
        SshTarget jump = target.jump().orElseThrow();
        try {
            return attempt(jump);
        } catch (UnreachableException e) {
            throw new UnreachableException("jump host " + jump.display() + " for " + target.display() + ": " + e.getMessage(),
                    e.getCause());
        } catch (RetryableException e) {
            throw new RetryableException("jump host " + jump.display() + ": " + e.getMessage(), e.getCause());
        }
    }

    private String hostKeyMessage(SshTarget target, KnownHosts.Verdict verdict, PublicKey key) {
        String type = KnownHosts.keyType(key);
        String where = KnownHosts.hostToken(target.address(), target.port());
        String fp = type + " " + KnownHosts.fingerprint(key);
        if (verdict == KnownHosts.Verdict.CHANGED) {
            return "HOST KEY CHANGED for " + where + " (now " + fp + "): refused; if the host was reinstalled, "
                    + "remove the old key with: ssh-keygen -R '" + where + "' -f " + knownHosts.writeTo();
        }
        String shortType = type.startsWith("ssh-") ? type.substring(4) : type.startsWith("ecdsa") ? "ecdsa" : type;
        return "host key of " + where + " is not known (" + fp + "): refused. Check the fingerprint, then accept it with:"
                + " ssh-keyscan -t " + shortType + " -p " + target.port() + " " + target.address() + " >> "
                + knownHosts.writeTo() + "  (or rerun with --accept-new-host-keys)";
    }

    private static boolean isNetwork(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof SocketTimeoutException
                    || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                    || t instanceof java.io.EOFException || t instanceof java.net.SocketException) {
                return true;
            }
        }
        return e instanceof net.schmizz.sshj.transport.TransportException;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
