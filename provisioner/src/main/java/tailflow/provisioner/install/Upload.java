package tailflow.provisioner.install;

/** The part of a RELEASE step every method shares: receive the payload from fd 3 into {@code $tmp} and check it. */
final class Upload {

    private Upload() {}

    /**
     * Leaves the checked payload in {@code "$tmp"} (inside {@code tmpDir}, so the final rename stays on one
     * file system) and prints {@code @@uploaded}. A short or corrupt upload fails the step loudly; nothing
     * is sent again (a transfer that corrupts data is a bug, not bad luck).
     *
     * @param noun what the payload is called in messages ("bundle", "package")
     */
    static String receive(String createDir, String tmpDir, long size, String sha256, String noun) {
        return """
                mkdir -p %1$s || fail release "cannot create %1$s"
                tmp=$(mktemp %2$s/.upload.XXXXXX) || fail release "mktemp failed"
                cat <&3 > "$tmp" || { rm -f "$tmp"; fail release "upload failed"; }
                got=$(wc -c < "$tmp")
                [ "$got" -eq %3$d ] || { rm -f "$tmp"; fail release "uploaded %5$s is $got bytes, want %3$d"; }
                echo "%4$s  $tmp" | sha256sum -c --status || { rm -f "$tmp"; fail release "uploaded %5$s does not match sha256 %4$s"; }
                echo "@@uploaded $got"
                """.formatted(createDir, tmpDir, size, sha256, noun);
    }
}
