package tailflow.provisioner.inventory;

import java.nio.file.Path;

/** A malformed inventory or vars file, located as {@code file:line:column: what is wrong}. */
public final class InventoryException extends RuntimeException {

    private final Path file;
    private final int line;
    private final int column;

    public InventoryException(Path file, int line, int column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
