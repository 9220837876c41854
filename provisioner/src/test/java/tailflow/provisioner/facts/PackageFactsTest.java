package tailflow.provisioner.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dpkg lines of the facts script, as {@link FactsParser} reads them. */
class PackageFactsTest {

    private static PackageFacts parse(String... lines) {
        return FactsParser.parse(FactsParser.BEGIN + "\narch=x86_64\n" + String.join("\n", lines) + "\n" + FactsParser.END + "\n").pkg();
    }

    @Test
    void anInstalledPackageWithItsKeptDebAndAChangedFile() {
        PackageFacts p = parse("dpkg=yes", "deb_status=install ok installed", "deb_version=0.1.0+1",
                "deb_changed=/usr/share/tailflow/lib/agent.jar /usr/share/tailflow/bin/agent ",
                "deb_kept=0.1.0+1 " + "f".repeat(64));
        assertThat(p.dpkg()).isTrue();
        assertThat(p.installed()).isTrue();
        assertThat(p.present()).isTrue();
        assertThat(p.version()).contains("0.1.0+1");
        assertThat(p.changedFiles()).containsExactly("/usr/share/tailflow/lib/agent.jar", "/usr/share/tailflow/bin/agent");
        assertThat(p.keptVersion()).contains("0.1.0+1");
        assertThat(p.keptSha256()).isEqualTo("f".repeat(64));
        assertThat(p.keptMatchesInstalled()).isTrue();
    }

    @Test
    void dpkgWithoutThePackageOrWithOnlyItsConffilesLeft() {
        PackageFacts never = parse("dpkg=yes", "deb_status=", "deb_version=");
        assertThat(never.dpkg()).isTrue();
        assertThat(never.present()).isFalse();
        assertThat(never.version()).isEmpty();
        assertThat(never.keptVersion()).isEmpty();
        PackageFacts removed = parse("dpkg=yes", "deb_status=deinstall ok config-files", "deb_version=0.1.0");
        assertThat(removed.present()).isFalse();
        assertThat(removed.presentVersion()).isEmpty();
        PackageFacts half = parse("dpkg=yes", "deb_status=install ok half-configured", "deb_version=0.1.0");
        assertThat(half.present()).isTrue();
        assertThat(half.installed()).isFalse();
        assertThat(half.presentVersion()).contains("0.1.0");
    }

    @Test
    void aKeptDebOfAnotherVersionDoesNotCountForARollback() {
        PackageFacts p = parse("dpkg=yes", "deb_status=install ok installed", "deb_version=0.1.0", "deb_kept=0.0.9 " + "e".repeat(64));
        assertThat(p.keptMatchesInstalled()).isFalse();
    }

    @Test
    void noDpkgAtAllOrAnOldFactsScript() {
        assertThat(parse("dpkg=no")).isEqualTo(PackageFacts.NONE);
        assertThat(parse()).isEqualTo(PackageFacts.NONE);
        assertThat(PackageFacts.NONE.version()).isEqualTo(Optional.empty());
    }
}
