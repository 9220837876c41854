package tailflow.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one masking rule, as the agent's and the provisioner's outputs use it. */
class SecretsTest {
    @Test
    void namesThatHoldSecretsAndNamesThatDoNot() {
        assertThat(List.of("password", "bearerToken", "bearer_token", "ansible_become_pass", "ansible_password",
                "client_secret", "tailflow_loki_token", "passphrase", "aws_credentials", "private_key_content", "pass"))
                .allMatch(Secrets::isSecret);
        assertThat(List.of("password_file", "passwordFile", "bearer_token_file", "username", "url", "tenant_id",
                "ansible_ssh_private_key_file", "passive", "compass_direction", "basic_auth"))
                .noneMatch(Secrets::isSecret);
    }

    @Test
    void masksMapsAndListsRecursivelyAndBasicAuthShowsOnlyItsUsername() {
        Object masked = Secrets.mask(Map.of(
                "ansible_become_pass", "s3cret",
                "tailflow_loki_basic_auth", Map.of("username", "u", "password", "p"),
                "other_basic_auth", "user:pw",
                "x", List.of(Map.of("token", "t", "password_file", "/etc/pw")),
                "hosts", List.of("a", "b")));
        assertThat(masked).isEqualTo(Map.of(
                "ansible_become_pass", Secrets.MASK,
                "tailflow_loki_basic_auth", Map.of("username", "u", "password", Secrets.MASK),
                "other_basic_auth", Secrets.MASK,
                "x", List.of(Map.of("token", Secrets.MASK, "password_file", "/etc/pw")),
                "hosts", List.of("a", "b")));
        assertThat(Secrets.maskUnder("basic_auth", Map.of("u", "p"))).isEqualTo(Map.of("u", Secrets.MASK));
        assertThat(Secrets.maskUnder("password", null)).isNull();
    }

    @Test
    void masksRenderedYamlLineByLine() {
        assertThat(Secrets.maskYamlLines("""
                clients:
                  - url: http://loki:3100/loki/api/v1/push
                    basic_auth:
                      username: u
                      password: p
                      password_file: /etc/tailflow/pw
                  - bearer_token: t
                tailflow_loki_basic_auth: u:p
                """)).isEqualTo("""
                clients:
                  - url: http://loki:3100/loki/api/v1/push
                    basic_auth:
                      username: u
                      password: <secret>
                      password_file: /etc/tailflow/pw
                  - bearer_token: <secret>
                tailflow_loki_basic_auth: <secret>
                """);
    }
}
