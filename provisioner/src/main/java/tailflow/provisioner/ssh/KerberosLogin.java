package tailflow.provisioner.ssh;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/**
 * The user's Kerberos ticket, as {@code kinit} left it in the credential cache, for
 * gssapi-with-mic logins (RFC 4462). JAAS is configured in code ({@link Configuration}) so the
 * user writes no login file; Java's Krb5LoginModule only reads the cache (no prompt, no
 * keytab). One login per run serves every host: the ticket-granting ticket is read once and each
 * host's service ticket is asked for by Java's GSS when its context starts.
 */
public final class KerberosLogin {

    /** Logged in, or why not: {@code headline} tells the user what to do, {@code detail} what was found. */
    public record Outcome(Optional<LoginContext> context, String headline, String detail) {

        /** "no Kerberos ticket (run kinit) for gssapi-with-mic on alice@web1: credential cache ... does not exist" */
        public String problemOn(String where) {
            return headline + " for gssapi-with-mic on " + where + ": " + detail;
        }
    }

    private final CredentialCache cache;
    private final GssApiServiceHost serviceHost;
    private final Clock clock;
    private Outcome outcome;

    /** With MIT's defaults for naming hosts. */
    public KerberosLogin(CredentialCache cache, Clock clock) {
        this(cache, GssApiServiceHost.fromKrb5Conf(Optional.empty()), clock);
    }

    KerberosLogin(CredentialCache cache, GssApiServiceHost serviceHost, Clock clock) {
        this.cache = cache;
        this.serviceHost = serviceHost;
        this.clock = clock;
    }

    /**
     * From the environment as MIT's tools read it: {@code KRB5CCNAME} for the cache and
     * {@code KRB5_CONFIG} for krb5.conf (which Java only reads from {@code java.security.krb5.conf},
     * so it is passed on there unless that property is already set).
     */
    public static KerberosLogin fromEnvironment(Map<String, String> env, long uid, Clock clock) {
        Optional.ofNullable(env.get("KRB5_CONFIG")).flatMap(KerberosLogin::firstExisting)
                .filter(f -> System.getProperty("java.security.krb5.conf") == null)
                // JVM-wide on purpose: Java's Kerberos reads its configuration from this property only
                .ifPresent(f -> System.setProperty("java.security.krb5.conf", f.toString()));
        Path krb5Conf = Optional.ofNullable(System.getProperty("java.security.krb5.conf")).map(Path::of)
                .orElse(Path.of("/etc/krb5.conf"));
        return new KerberosLogin(CredentialCache.of(Optional.ofNullable(env.get("KRB5CCNAME")), uid),
                GssApiServiceHost.fromKrb5Conf(Optional.of(krb5Conf)), clock);
    }

    /** The host whose service ticket ssh would ask for when connecting to {@code address}. */
    String serviceHost(String address, Optional<String> serverIdentity) {
        return serviceHost.of(address, serverIdentity);
    }

    /** MIT takes a colon-separated list of files; Java takes one: the first that exists. */
    private static Optional<Path> firstExisting(String list) {
        for (String f : list.split(":")) {
            if (!f.isBlank() && Files.isRegularFile(Path.of(f))) {
                return Optional.of(Path.of(f));
            }
        }
        return Optional.empty();
    }

    /** The login, done on first use; the same answer for every host of the run. */
    public synchronized Outcome login() {
        if (outcome == null) {
            outcome = attempt();
        }
        return outcome;
    }

    private Outcome attempt() {
        if (cache.unsupported().isPresent()) {
            return failed("no usable Kerberos ticket", cache.unsupported().get());
        }
        Path file = cache.file();
        if (!Files.exists(file)) {
            return failed("no Kerberos ticket (run kinit)", "credential cache " + cache.name() + " does not exist");
        }
        Optional<CredentialCacheFile> content = CredentialCacheFile.read(file);
        if (content.isPresent()) {
            String whose = content.get().principal();
            if (content.get().tgtEnd().isEmpty()) {
                return failed("no Kerberos ticket (run kinit)", "credential cache " + cache.name() + " of " + whose
                        + " holds no ticket-granting ticket");
            }
            Instant end = content.get().tgtEnd().get();
            if (!end.isAfter(clock.instant())) {
                return failed("no valid Kerberos ticket (run kinit)", "the ticket of " + whose + " in " + cache.name()
                        + " expired at " + end);
            }
        }
        try {
            LoginContext context = new LoginContext("tailflow-gssapi", new Subject(), null, ticketCacheOnly(file));
            context.login();
            boolean current = context.getSubject().getPrivateCredentials(KerberosTicket.class).stream()
                    .anyMatch(KerberosTicket::isCurrent);
            if (!current) {
                return failed("no valid Kerberos ticket (run kinit)", "the ticket in " + cache.name() + " has expired");
            }
            return new Outcome(Optional.of(context), "", "");
        } catch (LoginException | SecurityException e) {
            // Java says "Unable to obtain password from user" for an expired or empty cache: say what it means
            return failed("no valid Kerberos ticket (run kinit)", "the ticket in " + cache.name()
                    + " is expired or unreadable (" + e.getMessage() + ")");
        }
    }

    private static Outcome failed(String headline, String detail) {
        return new Outcome(Optional.empty(), headline, detail);
    }

    /** Krb5LoginModule reading only {@code file}: never a prompt, a keytab or a stored key. */
    private static Configuration ticketCacheOnly(Path file) {
        Map<String, String> options = Map.of("useTicketCache", "true", "ticketCache", file.toString(),
                "doNotPrompt", "true", "useKeyTab", "false", "storeKey", "false", "isInitiator", "true");
        AppConfigurationEntry entry = new AppConfigurationEntry("com.sun.security.auth.module.Krb5LoginModule",
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options);
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {entry};
            }
        };
    }
}
