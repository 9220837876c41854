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
     * renames the release into place. A short or corrupt upload fails the step loudly; nothing is
     * switched and nothing is sent again (a transfer that corrupts data is a bug, not bad luck).
     */
    @Override
    public String installRelease(Bundle bundle) {
        String root = layout.installRoot();
        String rel = layout.releaseDir(bundle.releaseId());
        return """
                mkdir -p %1$s || fail release "cannot create %1$s"
                tmp=$(mktemp %2$s/.upload.XXXXXX) || fail release "mktemp failed"
                cat <&3 > "$tmp" || { rm -f "$tmp"; fail release "upload failed"; }
                got=$(wc -c < "$tmp")
                [ "$got" -eq %4$d ] || { rm -f "$tmp"; fail release "uploaded bundle is $got bytes, want %4$d"; }
                echo "%5$s  $tmp" | sha256sum -c --status || { rm -f "$tmp"; fail release "uploaded bundle does not match sha256 %5$s"; }
                echo "@@uploaded $got"
                rm -rf "%3$s.new" && mkdir -p "%3$s.new" && tar -xzf "$tmp" -C "%3$s.new" --no-same-owner \\
                  && ( cd "%3$s.new" && sha256sum -c --quiet --strict %6$s ) \\
                  || { rm -rf "%3$s.new" "$tmp"; fail release "unpacking the bundle failed"; }
                rm -f "$tmp"; chmod 755 "%3$s.new"
                rm -rf "%3$s.old"; if [ -e "%3$s" ]; then mv "%3$s" "%3$s.old"; fi
                mv "%3$s.new" "%3$s" && rm -rf "%3$s.old" || fail release "cannot move the release into place"
                step release
                """.formatted(layout.releasesDir(), root, rel, bundle.size(), bundle.sha256(), Bundle.MANIFEST_ENTRY);
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
