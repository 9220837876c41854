package tailflow.provisioner.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.provisioner.inventory.InventoryHost;

/** Where the ticket is, when gssapi-with-mic is asked for, and what a user without a ticket is told. */
class KerberosSettingsTest {

    @TempDir
    Path dir;

    /** Any instant: the cases here never reach a ticket (the caches kinit writes are read in KerberosLoginIT). */
    private static final Instant TGT_END = Instant.parse("2026-11-30T02:56:05Z");

    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    @Test
    void credentialCacheNamesAsMitReadsThem() throws Exception {
        assertThat(CredentialCache.of(Optional.empty(), 1000).file()).isEqualTo(Path.of("/tmp/krb5cc_1000"));
        assertThat(CredentialCache.of(Optional.of("FILE:/run/cc"), 0).file()).isEqualTo(Path.of("/run/cc"));
        assertThat(CredentialCache.of(Optional.of("/run/cc"), 0).file()).isEqualTo(Path.of("/run/cc"));
        assertThat(CredentialCache.of(Optional.of("DIR::/run/dir/tktA"), 0).file()).isEqualTo(Path.of("/run/dir/tktA"));
        Files.writeString(dir.resolve("primary"), "tkt7\n");
        assertThat(CredentialCache.of(Optional.of("DIR:" + dir), 0).file()).isEqualTo(dir.resolve("tkt7"));
        CredentialCache kcm = CredentialCache.of(Optional.of("KCM:"), 1000);
        assertThat(kcm.unsupported()).get().asString().contains("KCM:").contains("KRB5CCNAME=FILE:/tmp/krb5cc_1000");
        assertThat(CredentialCache.of(Optional.of("KEYRING:persistent:1000"), 1000).unsupported()).isPresent();
        assertThat(CredentialCache.of(Optional.of("FILE:/run/cc"), 0).unsupported()).isEmpty();
    }

    @Test
    void aMissingOrUnreadableCacheIsNamedWithTheWayOut() throws Exception {
        Clock now = at(TGT_END.minusSeconds(60));
        KerberosLogin.Outcome missing = new KerberosLogin(CredentialCache.of(Optional.of("FILE:" + dir.resolve("cc")), 0), now).login();
        assertThat(missing.context()).isEmpty();
        assertThat(missing.problemOn("alice@web1")).isEqualTo("no Kerberos ticket (run kinit) for gssapi-with-mic on alice@web1: "
                + "credential cache FILE:" + dir.resolve("cc") + " does not exist");
        Path garbage = Files.writeString(dir.resolve("garbage"), "not a credential cache");
        KerberosLogin.Outcome unreadable = new KerberosLogin(CredentialCache.of(Optional.of("FILE:" + garbage), 0), now).login();
        assertThat(unreadable.context()).isEmpty();
        assertThat(unreadable.problemOn("alice@web1")).startsWith("no valid Kerberos ticket (run kinit) for gssapi-with-mic on alice@web1: "
                + "the ticket in FILE:" + garbage + " is expired or unreadable");
        KerberosLogin.Outcome kcm = new KerberosLogin(CredentialCache.of(Optional.of("KCM:"), 0), now).login();
        assertThat(kcm.problemOn("alice@web1")).startsWith("no usable Kerberos ticket for gssapi-with-mic on alice@web1: ");
    }

    @Test
    void theServiceHostIsTheNameAnAddressResolvesBackToAsMitNamesIt() throws Exception {
        GssApiServiceHost mit = new GssApiServiceHost(true, true, a -> a.equals("10.0.0.5") ? "web1.lab.example" : a);
        assertThat(mit.of("10.0.0.5", Optional.empty())).isEqualTo("web1.lab.example");
        assertThat(mit.of("web1", Optional.empty())).as("names are Java's to canonicalise").isEqualTo("web1");
        assertThat(mit.of("10.0.0.5", Optional.of("gw.lab.example"))).as("GSSAPIServerIdentity").isEqualTo("gw.lab.example");
        assertThat(new GssApiServiceHost(true, false, a -> "x").of("10.0.0.5", Optional.empty())).isEqualTo("10.0.0.5");
        Path conf = Files.writeString(dir.resolve("krb5.conf"), "[realms]\n rdns = true\n[libdefaults]\n  rdns = off\n");
        assertThat(GssApiServiceHost.fromKrb5Conf(Optional.of(conf)).rdns()).isFalse();
        assertThat(GssApiServiceHost.fromKrb5Conf(Optional.of(conf)).dnsCanonicalize()).isTrue();
        assertThat(GssApiServiceHost.fromKrb5Conf(Optional.of(dir.resolve("none"))).rdns()).isTrue();
    }

    @Test
    void gssapiAuthenticationFromSshArgumentsTheInventoryAndTheSshConfig() throws Exception {
        assertThat(TargetResolver.gssapi(List.of("-o", "GSSAPIAuthentication=yes"))).contains("yes");
        assertThat(TargetResolver.gssapi(List.of("-oGSSAPIAuthentication no"))).contains("no");
        assertThat(TargetResolver.gssapi(List.of("-o", "ProxyJump=b", "-K"))).contains("yes");
        assertThat(TargetResolver.gssapi(List.of("-o", "ControlMaster=auto"))).isEmpty();
        assertThat(TargetResolver.option(List.of("-o", "GSSAPIServerIdentity=gw.lab"), "GSSAPIServerIdentity")).contains("gw.lab");
        Path cfg = Files.writeString(dir.resolve("config"), "Host lab*\n  GSSAPIAuthentication yes\nHost *\n  GSSAPIAuthentication no\n");
        TargetResolver resolver = new TargetResolver(SshConfigFile.read(cfg, dir), dir, "me",
                new TargetResolver.Defaults(Optional.empty(), Optional.empty(), false, Optional.empty()));
        assertThat(resolver.resolve(new InventoryHost("lab1", List.of("all"), Map.of())).gssapi()).isTrue();
        assertThat(resolver.resolve(new InventoryHost("web1", List.of("all"), Map.of())).gssapi()).isFalse();
        // the command line wins over the config, as in ssh
        assertThat(resolver.resolve(new InventoryHost("web1", List.of("all"),
                Map.of("ansible_ssh_common_args", "-o GSSAPIAuthentication=yes"))).gssapi()).isTrue();
        assertThat(resolver.resolve(new InventoryHost("lab1", List.of("all"),
                Map.of("ansible_ssh_extra_args", "-o GSSAPIAuthentication=no"))).gssapi()).isFalse();
        assertThat(new TargetResolver(SshConfigFile.empty(), dir, "me", new TargetResolver.Defaults(Optional.empty(),
                Optional.empty(), false, Optional.empty())).resolve(new InventoryHost("x", List.of("all"), Map.of())).gssapi())
                .as("ssh's default").isFalse();
        assertThatThrownBy(() -> resolver.resolve(new InventoryHost("web1", List.of("all"),
                Map.of("ansible_ssh_common_args", "-o GSSAPIAuthentication=maybe"))))
                .hasMessageContaining("host web1: ssh option GSSAPIAuthentication is 'maybe', expected yes or no");
    }
}
