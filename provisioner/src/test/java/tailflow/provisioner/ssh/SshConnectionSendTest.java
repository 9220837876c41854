package tailflow.provisioner.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SshConnection#send}: every byte flushed before EOF, and no flush when there is nothing to send. */
class SshConnectionSendTest {

    /** Behaves as SSHJ's ChannelOutputStream once the server closed the channel: flush and write throw, close is a no-op. */
    private static final class Channel extends OutputStream {
        final List<String> calls = new ArrayList<>();
        final boolean closedByServer;

        Channel(boolean closedByServer) {
            this.closedByServer = closedByServer;
        }

        @Override
        public void write(int b) throws IOException {
            check("write");
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check("write");
        }

        @Override
        public void flush() throws IOException {
            check("flush");
        }

        @Override
        public void close() {
            calls.add("close");
        }

        private void check(String call) throws IOException {
            if (closedByServer) {
                throw new IOException("Stream closed");
            }
            if (calls.isEmpty() || !calls.get(calls.size() - 1).equals(call)) {
                calls.add(call);
            }
        }
    }

    @Test
    void aQuickScriptWithNoStdinMayHaveClosedItsChannelAlready() {
        Channel ch = new Channel(true);
        assertThatCode(() -> SshConnection.send(InputStream.nullInputStream(), ch)).doesNotThrowAnyException();
        assertThat(ch.calls).containsExactly("close");
    }

    @Test
    void whatIsSentIsFlushedBeforeTheChannelCloses() throws IOException {
        Channel ch = new Channel(false);
        SshConnection.send(new ByteArrayInputStream(new byte[100_000]), ch);
        assertThat(ch.calls).containsExactly("write", "flush", "close");
    }
}
