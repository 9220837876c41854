package tailflow.agent.layout;

import java.util.List;
import tailflow.agent.config.ServerConfig;

/**
 * Where the agent lives on a host, in one place: the provisioner's scripts and planner, the
 * systemd unit, the launcher and the Debian package all take their paths, names and ports from
 * here, so a file moved in one of them cannot drift from the others. Paths are absolute paths on
 * the target host (strings, not local {@link java.nio.file.Path}s: the provisioner names files on
 * another machine).
 *
 * @param installRoot         releases live under {@code <root>/releases/<id>}, the running one is
 *                            the symlink {@code <root>/current}
 * @param configFile          the agent's config, root-owned, readable by {@link #group()}
 * @param stateDirectory      positions and the class-data archive; systemd's {@code StateDirectory=}
 * @param unitName            the systemd unit
 * @param user                the unprivileged account the agent runs as
 * @param group               its primary group (owns the config)
 * @param supplementaryGroups groups whose files the agent reads: {@code adm} for {@code /var/log},
 *                            {@code systemd-journal} for the journal
 * @param httpPort            the ops endpoint ({@code /metrics}, {@code /ready}) by default
 */
public record InstallLayout(String installRoot, String configFile, String stateDirectory, String unitName,
        String user, String group, List<String> supplementaryGroups, int httpPort) {

    /** The layout every install method uses. */
    public static final InstallLayout STANDARD = new InstallLayout("/opt/tailflow", "/etc/tailflow/agent.yaml",
            "/var/lib/tailflow", "tailflow-agent.service", "tailflow", "tailflow", List.of("adm", "systemd-journal"),
            ServerConfig.DEFAULT_HTTP_PORT);

    public InstallLayout {
        for (String p : List.of(installRoot, configFile, stateDirectory)) {
            if (!p.startsWith("/") || p.endsWith("/")) {
                throw new IllegalArgumentException("install paths are absolute, without a trailing slash: " + p);
            }
        }
        if (!unitName.endsWith(".service")) {
            throw new IllegalArgumentException("unit name must end in .service: " + unitName);
        }
        supplementaryGroups = List.copyOf(supplementaryGroups);
    }

    /** Directory holding one directory per installed release. */
    public String releasesDir() {
        return installRoot + "/releases";
    }

    public String releaseDir(String releaseId) {
        return releasesDir() + "/" + releaseId;
    }

    /** Symlink to the running release ({@code releases/<id>}, relative). */
    public String currentLink() {
        return installRoot + "/current";
    }

    /** What the unit's {@code ExecStart=} runs. */
    public String launcher() {
        return currentLink() + "/bin/agent";
    }

    public String configDir() {
        return parent(configFile);
    }

    public String positionsFile() {
        return stateDirectory + "/positions.yaml";
    }

    /** The unit as an administrator (or the provisioner) installs it; a package puts its copy under /lib. */
    public String adminUnitFile() {
        return "/etc/systemd/system/" + unitName;
    }

    public String packageUnitFile() {
        return "/lib/systemd/system/" + unitName;
    }

    /** The provisioner's drop-in (capabilities, environment); it overrides either unit file. */
    public String dropInFile() {
        return "/etc/systemd/system/" + unitName + ".d/tailflow.conf";
    }

    private static String parent(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }
}
