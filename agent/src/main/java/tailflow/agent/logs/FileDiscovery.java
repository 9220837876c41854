package tailflow.agent.logs;

import tailflow.agent.files.Glob;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the files a {@code __path__} glob matches, minus {@code __path_exclude__}.
 *
 * <p>Compressed rotations ({@code *.gz}, {@code *.bz2}, {@code *.xz}, {@code *.zst}) are always
 * excluded: their lines were shipped from the uncompressed file before it was compressed.
 * Matches that are not readable regular files (a directory, a FIFO, no permission) are reported
 * with the reason so the caller can log and count them, then retry on the next scan.
 *
 * <p>Used by the tailer every {@code sync_period} and by {@code agent --dry-run}.
 */
public final class FileDiscovery {

    private FileDiscovery() {}

    /** A matched path the agent cannot read, and why. */
    public record Unreadable(Path path, String reason) {}

    /** What one scan found; every list sorted by path. */
    public record Result(List<Path> matched, List<Path> excluded, List<Unreadable> unreadable) {
        public Result {
            matched = List.copyOf(matched);
            excluded = List.copyOf(excluded);
            unreadable = List.copyOf(unreadable);
        }
    }

    /** Scans one {@code __path__} glob with an optional {@code __path_exclude__} glob. */
    public static Result scan(String pathGlob, Optional<String> excludeGlob) {
        Glob include = Glob.compile(pathGlob);
        Optional<Glob> exclude = excludeGlob.filter(s -> !s.isBlank()).map(Glob::compile);
        List<Path> matched = new ArrayList<>();
        List<Path> excluded = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        Path base = Path.of(include.baseDirectory());
        if (!Files.isDirectory(base)) {
            return new Result(matched, excluded, unreadable);
        }
        try {
            Files.walkFileTree(base, EnumSet.noneOf(FileVisitOption.class), include.maxDepth(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(base) && include.matches(dir.toString()) && include.maxDepth() != Integer.MAX_VALUE) {
                        classify(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (include.matches(file.toString())) {
                        classify(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    if (include.matches(file.toString())) {
                        unreadable.add(new Unreadable(file, describe(e)));
                    }
                    return FileVisitResult.CONTINUE;
                }

                private void classify(Path file) {
                    if (exclude.isPresent() && exclude.get().matches(file.toString()) || isCompressed(file)) {
                        excluded.add(file);
                    } else if (Files.isDirectory(file)) {
                        unreadable.add(new Unreadable(file, "is a directory"));
                    } else if (!Files.isRegularFile(file)) {
                        unreadable.add(new Unreadable(file, Files.exists(file)
                                ? "not a regular file (FIFO, socket or device)" : "dangling symbolic link"));
                    } else if (!Files.isReadable(file)) {
                        unreadable.add(new Unreadable(file, "permission denied"));
                    } else {
                        matched.add(file);
                    }
                }
            });
        } catch (IOException e) {
            unreadable.add(new Unreadable(base, describe(e)));
        }
        matched.sort(Comparator.naturalOrder());
        excluded.sort(Comparator.naturalOrder());
        unreadable.sort(Comparator.comparing(Unreadable::path));
        return new Result(matched, excluded, unreadable);
    }

    /** Whether a file is a compressed rotation that must never be shipped again. */
    public static boolean isCompressed(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".gz") || name.endsWith(".bz2") || name.endsWith(".xz") || name.endsWith(".zst");
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "vanished during the scan";
        }
        return e.toString();
    }
}
