package tailflow.agent.positions;

import java.util.List;

/**
 * What is kept of one file: where it was found ({@code label}, the {@code filename} its lines
 * carry), its identity, the offset Loki acknowledged, the timestamp leases, and the first bytes
 * of the file ({@code head}, base64, empty when unknown) that tell a copytruncate copy of it apart
 * after a restart.
 */
public record FilePosition(String label, long device, long inode, long offset, List<Lease> leases, String head) {
    public FilePosition {
        leases = List.copyOf(leases);
        head = head == null ? "" : head;
    }
}
