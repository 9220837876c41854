package tailflow.provisioner.ssh;

import com.hierynomus.sshj.transport.cipher.BlockCiphers;
import com.hierynomus.sshj.transport.cipher.ChachaPolyCiphers;
import com.hierynomus.sshj.transport.cipher.GcmCiphers;
import net.schmizz.sshj.DefaultConfig;

/**
 * SSHJ's defaults with the ciphers OpenSSH offers by default only. {@code DefaultConfig} tries
 * out every one of its 33 ciphers (Twofish, Serpent, IDEA, ... through BouncyCastle) by
 * initialising each: ~0.4-0.5 s of CPU per provisioner run at C1, measured, a quarter of a no-op
 * apply's. These are initialised when negotiated, as any cipher is; chacha20-poly1305 first, as
 * SSHJ and OpenSSH order it (also the fastest of them without C2's AES intrinsics: ~80 MiB/s
 * of CPU against ~45 for aes-ctr with its HMAC and ~14 for aes-gcm, measured at C1).
 */
final class LeanSshConfig extends DefaultConfig {

    @Override
    protected void initCipherFactories() {
        setCipherFactories(ChachaPolyCiphers.CHACHA_POLY_OPENSSH(), BlockCiphers.AES128CTR(), BlockCiphers.AES192CTR(),
                BlockCiphers.AES256CTR(), GcmCiphers.AES128GCM(), GcmCiphers.AES256GCM());
    }
}
