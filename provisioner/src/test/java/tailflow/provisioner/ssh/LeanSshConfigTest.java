package tailflow.provisioner.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import net.schmizz.sshj.common.Factory;
import org.junit.jupiter.api.Test;

class LeanSshConfigTest {

    @Test
    void offersOpenSshsDefaultCiphersChachaFirstAndEveryOneWorks() throws Exception {
        LeanSshConfig config = new LeanSshConfig();
        assertThat(config.getCipherFactories()).extracting(Factory.Named::getName).containsExactly(
                "chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr",
                "aes128-gcm@openssh.com", "aes256-gcm@openssh.com");
        for (var f : config.getCipherFactories()) {
            var cipher = f.create();
            cipher.init(net.schmizz.sshj.transport.cipher.Cipher.Mode.Encrypt, new byte[cipher.getBlockSize() * 4],
                    new byte[cipher.getIVSize()]);
        }
        // everything else stays SSHJ's
        assertThat(config.getKeyExchangeFactories()).extracting(Factory.Named::getName).startsWith("curve25519-sha256");
    }
}
