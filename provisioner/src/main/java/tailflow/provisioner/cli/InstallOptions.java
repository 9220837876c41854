package tailflow.provisioner.cli;

import picocli.CommandLine.Option;
import tailflow.agent.layout.InstallLayout;
import tailflow.provisioner.install.InstallMethod;
import tailflow.provisioner.install.TarballRelease;
import tailflow.provisioner.remote.AdminScripts;
import tailflow.provisioner.remote.RemoteScripts;

/** How the agent is installed on hosts: the one layout, and the install method (a tarball release today). */
final class InstallOptions {

    @Option(names = "--install-method", paramLabel = "METHOD", defaultValue = "tarball",
            description = "how the release is installed: tarball (unpacked under /opt/tailflow/releases, switched by a symlink)")
    String methodName;

    InstallLayout layout() {
        return InstallLayout.STANDARD;
    }

    InstallMethod method() {
        return switch (methodName) {
            case "tarball" -> new TarballRelease(layout());
            default -> throw new IllegalArgumentException("--install-method " + methodName + ": known methods are tarball");
        };
    }

    RemoteScripts scripts() {
        return new RemoteScripts(layout(), method());
    }

    AdminScripts adminScripts() {
        return new AdminScripts(layout(), scripts().unitFile());
    }
}
