package tailflow.provisioner.ssh;

import java.time.Duration;

/**
 * Connection behaviour for a run.
 *
 * @param connectTimeout bound for TCP connect + SSH handshake of one attempt
 * @param attempts       connection attempts per host (the lab's role retried downloads 5 times)
 * @param firstBackoff   pause after the first failed attempt; doubles after each further one
 */
public record SshOptions(Duration connectTimeout, int attempts, Duration firstBackoff) {

    public static SshOptions defaults() {
        return new SshOptions(Duration.ofSeconds(10), 3, Duration.ofSeconds(1));
    }
}
