package tailflow.provisioner.ssh;

import java.util.List;
import javax.security.auth.login.LoginContext;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthGssApiWithMic;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.Oid;

/**
 * gssapi-with-mic with the Kerberos 5 mechanism, SSHJ's exchange, remembering why it failed:
 * SSHJ tries the next method after a failure and reports only the last one, so without this the
 * Kerberos reason (no service ticket for host/NAME, KDC unreachable) would be lost behind the
 * key methods' answer. The service is {@code host@<the name connected to>}, as ssh asks for it;
 * Java's Kerberos canonicalises it and finds its realm as krb5.conf says
 * ({@code dns_canonicalize_hostname}, {@code [domain_realm]}, {@code default_realm}).
 */
final class GssApiAuth extends AuthGssApiWithMic {

    static final String KERBEROS_V5 = "1.2.840.113554.1.2.2";

    private final LoginContext login;
    private final String host;
    private volatile String failure;
    private volatile boolean offered;

    GssApiAuth(LoginContext login, String host) {
        super(login, List.of(kerberos()));
        this.login = login;
        this.host = host;
    }

    /** Whose ticket this is ({@code alice@LAB.EXAMPLE}): a ticket of another realm explains many failures. */
    private String principal() {
        return login.getSubject().getPrincipals(javax.security.auth.kerberos.KerberosPrincipal.class).stream()
                .map(Object::toString).findFirst().orElse("(unknown principal)");
    }

    private static Oid kerberos() {
        try {
            return new Oid(KERBEROS_V5);
        } catch (GSSException e) {
            throw new IllegalStateException("the Kerberos 5 OID is valid", e);
        }
    }

    @Override
    public SSHPacket buildReq() throws UserAuthException {
        offered = true;
        return super.buildReq();
    }

    @Override
    public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
        try {
            super.handle(cmd, buf);
        } catch (UserAuthException e) {
            failure = "Kerberos could not start a context for " + servicePrincipal() + " with the ticket of " + principal() + ": "
                    + gssMessage(e);
            throw e;
        }
    }

    /** Why this method did not log in, for the host's error message. */
    String whyNot() {
        if (failure != null) {
            return failure;
        }
        return offered ? "the server did not accept the Kerberos ticket of " + principal() + " for " + servicePrincipal()
                + " (its keytab, GSSAPIAuthentication in sshd_config, or the user's .k5login?)"
                : "not tried";
    }

    /**
     * The service principal Java asks for, canonicalised and with its realm as krb5.conf maps it
     * ({@code host/web1.lab.example@LAB.EXAMPLE}): what the KDC and the host's keytab must know.
     */
    private String servicePrincipal() {
        try {
            return new javax.security.auth.kerberos.KerberosPrincipal("host/" + host,
                    javax.security.auth.kerberos.KerberosPrincipal.KRB_NT_SRV_HST).getName();
        } catch (IllegalArgumentException e) {
            return "host@" + host + " (no realm for it: " + e.getMessage() + ")";
        }
    }

    /** GSS's own sentence (major and mechanism status) if there is one, else the innermost message. */
    private static String gssMessage(Throwable e) {
        String innermost = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof GSSException) {
                return t.getMessage();
            }
            if (t.getMessage() != null) {
                innermost = t.getMessage();
            }
        }
        return innermost;
    }
}
