package tailflow.provisioner.install;

import java.util.Optional;
import tailflow.agent.layout.InstallLayout;
import tailflow.provisioner.bundle.Bundle;

/**
 * Releases side by side under {@code <root>/releases/<id>}, the running one chosen by the symlink
 * {@code <root>/current}: switching and rolling back are one atomic rename each.
 */
public final class TarballRelease implements InstallMethod {

    private final InstallLayout layout;

    public TarballRelease(InstallLayout layout) {
        this.layout = layout;
    }

    @Override
    public String name() {
        return "tarball";
    }

    /**
     * Receives the bundle into a temp name, checks its size and sha256 and every file's, then
     * renames the release into place; nothing is switched when any check fails.
     */
    @Override
    public String installRelease(Bundle bundle) {
        String root = layout.installRoot();
        String rel = layout.releaseDir(bundle.releaseId());
        return Upload.receive(layout.releasesDir(), root, bundle.size(), bundle.sha256(), "bundle") + """
                rm -rf "%1$s.new" && mkdir -p "%1$s.new" && tar -xzf "$tmp" -C "%1$s.new" --no-same-owner \\
                  && ( cd "%1$s.new" && sha256sum -c --quiet --strict %2$s ) \\
                  || { rm -rf "%1$s.new" "$tmp"; fail release "unpacking the bundle failed"; }
                rm -f "$tmp"; chmod 755 "%1$s.new"
                rm -rf "%1$s.old"; if [ -e "%1$s" ]; then mv "%1$s" "%1$s.old"; fi
                mv "%1$s.new" "%1$s" && rm -rf "%1$s.old" || fail release "cannot move the release into place"
                step release
                """.formatted(rel, Bundle.MANIFEST_ENTRY);
    }

    @Override
    public String switchTo(String releaseId) {
        return link(releaseId) + " || fail switch \"cannot switch " + layout.currentLink() + "\"\nstep switch\n";
    }

    @Override
    public String switchBack(String releaseId) {
        return link(releaseId) + "\n";
    }

    private String link(String releaseId) {
        String tmp = layout.installRoot() + "/.current.new";
        return "ln -sfn releases/" + releaseId + " " + tmp + " && mv -T " + tmp + " " + layout.currentLink();
    }

    @Override
    public String prune(String keep, String previous) {
        return """
                for r in $(ls %1$s 2>/dev/null); do
                  case "$r" in %2$s|%3$s) ;; *) rm -rf "%1$s/$r" ;; esac
                done
                """.formatted(layout.releasesDir(), keep, previous.isEmpty() ? keep : previous);
    }

    @Override
    public Optional<String> unitFile() {
        return Optional.of(layout.adminUnitFile());
    }
}
