package tailflow.provisioner.cli;

import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Option;
import tailflow.agent.layout.InstallLayout;
import tailflow.provisioner.bundle.DebPackage;
import tailflow.provisioner.install.DebInstall;
import tailflow.provisioner.install.InstallMethod;
import tailflow.provisioner.install.TarballRelease;
import tailflow.provisioner.inventory.InventoryHost;
import tailflow.provisioner.remote.AdminScripts;
import tailflow.provisioner.remote.RemoteScripts;

/** How the agent is installed on hosts: the one layout, and the install method (per host: {@code tailflow_install}). */
final class InstallOptions {

    static final List<String> METHODS = List.of("tarball", "deb");

    @Option(names = "--install-method", paramLabel = "METHOD", defaultValue = "tarball",
            description = {"how the agent is installed where the inventory does not say (tailflow_install: tarball|deb):",
                    "tarball: unpacked under /opt/tailflow/releases, switched by a symlink (default);",
                    "deb: the Debian package (--deb), through apt-get (pulls Java and libpcap) or dpkg; the per-host config",
                    "is kept over the package's conffile; rollback reinstalls the .deb kept in " + DebPackage.KEPT_DIR})
    String methodName;

    InstallLayout layout() {
        return InstallLayout.STANDARD;
    }

    /** The method for one host: its {@code tailflow_install}, else {@code --install-method}. */
    String methodFor(InventoryHost host) {
        String m = host.string("tailflow_install").map(String::strip).orElse(defaultMethod());
        if (!METHODS.contains(m)) {
            throw host.invalid("tailflow_install", "'" + m + "' is not an install method (" + String.join(", ", METHODS) + ")");
        }
        return m;
    }

    private String defaultMethod() {
        if (!METHODS.contains(methodName)) {
            throw new IllegalArgumentException("--install-method " + methodName + ": known methods are " + String.join(", ", METHODS));
        }
        return methodName;
    }

    /** @param deb the package, asked for only when the method is deb */
    InstallMethod method(String name, Supplier<DebPackage> deb) {
        return switch (name) {
            case "tarball" -> new TarballRelease(layout());
            case "deb" -> new DebInstall(deb.get());
            default -> throw new IllegalArgumentException("--install-method " + name + ": known methods are " + String.join(", ", METHODS));
        };
    }

    RemoteScripts scripts(String method, Supplier<DebPackage> deb) {
        return new RemoteScripts(layout(), method(method, deb));
    }

    /** For the commands that read or remove an install: both methods keep the unit file the provisioner may write in one place. */
    RemoteScripts scripts() {
        defaultMethod();
        return new RemoteScripts(layout(), new TarballRelease(layout()));
    }

    AdminScripts adminScripts() {
        return new AdminScripts(layout(), scripts().unitFile());
    }
}
