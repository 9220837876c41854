package tailflow.agent.positions;

import java.util.List;
import java.util.Map;

/** One client's file section: its files and the timestamp floor per {@code filename}. */
public record FilePositions(List<FilePosition> files, Map<String, Long> timestampFloors) {
    public FilePositions {
        files = List.copyOf(files);
        timestampFloors = Map.copyOf(timestampFloors);
    }
}
