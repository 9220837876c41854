package tailflow.provisioner.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.provisioner.inventory.InventoryHost;

class SshConfigAndKnownHostsTest {

    @TempDir
    Path dir;

    @Test
    void sshConfigFirstValueWinsAndInventoryVarsWinOverIt() throws Exception {
        Path cfg = dir.resolve("config");
        Files.writeString(cfg, """
                # lab
                Host pi* !pi99
                  User pi
                  IdentityFile ~/.ssh/pi_key
                Host pi01
                  HostName 192.0.2.11
                  User ignored-already-set
                Host *
                  Port 2200
                  IdentityFile ~/.ssh/fallback
                """);
        SshConfigFile ssh = SshConfigFile.read(cfg, dir);
        SshConfigFile.Entry e = ssh.lookup("pi01");
        assertThat(e.hostName()).contains("192.0.2.11");
        assertThat(e.user()).contains("pi");
        assertThat(e.port()).contains(2200);
        assertThat(e.identityFiles()).containsExactly(dir.resolve(".ssh/pi_key"), dir.resolve(".ssh/fallback"));
        assertThat(ssh.lookup("pi99").user()).isEmpty();

        TargetResolver resolver = new TargetResolver(ssh, dir, "me",
                new TargetResolver.Defaults(Optional.empty(), Optional.empty(), false, Optional.empty()));
        SshTarget fromConfig = resolver.resolve(new InventoryHost("pi01", List.of("all"), Map.of()));
        assertThat(fromConfig.display()).isEqualTo("pi@192.0.2.11:2200");
        SshTarget fromInventory = resolver.resolve(new InventoryHost("pi01", List.of("all"),
                Map.of("ansible_host", "10.0.0.1", "ansible_user", "root", "ansible_port", 22, "ansible_become", "yes")));
        assertThat(fromInventory.display()).isEqualTo("root@10.0.0.1");
        assertThat(fromInventory.become()).isTrue();
        assertThat(resolver.resolve(new InventoryHost("other", List.of("all"), Map.of())).user()).isEqualTo("me");
    }

    @Test
    void proxyJumpFromArgumentsAndTheSshConfigAsSshReadsIt() throws Exception {
        java.nio.file.Path cfg = dir.resolve("jump_config");
        java.nio.file.Files.writeString(cfg, """
                Host bastion
                  HostName 192.0.2.1
                  User jumper
                  Port 2022
                Host inner
                  HostName 10.9.0.5
                  ProxyJump bastion
                """);
        TargetResolver resolver = new TargetResolver(SshConfigFile.read(cfg, dir), dir, "me",
                new TargetResolver.Defaults(Optional.empty(), Optional.empty(), false, Optional.empty()));
        SshTarget viaConfig = resolver.resolve(new InventoryHost("inner", List.of("all"), Map.of()));
        assertThat(viaConfig.jump().map(SshTarget::display)).contains("jumper@192.0.2.1:2022");
        SshTarget viaArgs = resolver.resolve(new InventoryHost("h", List.of("all"), Map.of("ansible_host", "10.9.0.6",
                "ansible_ssh_common_args", "-o StrictHostKeyChecking=yes -o 'ProxyJump=ops@edge:2200,bastion'")));
        // ssh -J a,b: a first, b through a, the target through b
        assertThat(viaArgs.jump().map(SshTarget::display)).contains("jumper@192.0.2.1:2022");
        assertThat(viaArgs.jump().flatMap(SshTarget::jump).map(SshTarget::display)).contains("ops@edge:2200");
        assertThat(resolver.resolve(new InventoryHost("inner", List.of("all"), Map.of("ansible_ssh_extra_args", "-J none")))
                .jump()).isEmpty();
        assertThat(TargetResolver.proxyJump(List.of("-C", "-oProxyJump=a@b"))).contains("a@b");
    }

    @Test
    void knownHostsAcceptsKnownRefusesUnknownAndChangedAndRecordsNewOnRequest() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        PublicKey key = gen.generateKeyPair().getPublic();
        PublicKey other = gen.generateKeyPair().getPublic();
        Path file = dir.resolve("known_hosts");

        KnownHosts strict = new KnownHosts(List.of(file), file, false);
        assertThat(strict.check("10.0.0.1", 22, key)).isEqualTo(KnownHosts.Verdict.UNKNOWN);
        assertThat(file).doesNotExist();

        KnownHosts acceptNew = new KnownHosts(List.of(file), file, true);
        assertThat(acceptNew.check("10.0.0.1", 2222, key)).isEqualTo(KnownHosts.Verdict.ACCEPTED_NEW);
        assertThat(Files.readString(file)).startsWith("[10.0.0.1]:2222 ssh-rsa AAAA");
        assertThat(strict.check("10.0.0.1", 2222, key)).isEqualTo(KnownHosts.Verdict.KNOWN);
        assertThat(acceptNew.check("10.0.0.1", 2222, other)).isEqualTo(KnownHosts.Verdict.CHANGED);
        assertThat(Files.readAllLines(file)).hasSize(1);
        assertThat(KnownHosts.fingerprint(key)).startsWith("SHA256:").doesNotEndWith("=");
    }
}
