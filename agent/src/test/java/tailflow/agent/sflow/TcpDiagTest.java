package tailflow.agent.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import tailflow.agent.sflow.record.TcpInfo;

/** Against the real kernel: a TCP connection on loopback, looked up over netlink sock_diag. */
class TcpDiagTest {

    @Test
    void findsTheLocalSocketsTcpInfoForBothDirections() throws Exception {
        try (TcpDiag diag = TcpDiag.open().orElseThrow();
                ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket()) {
            client.connect(server.getLocalSocketAddress());
            try (Socket accepted = server.accept()) {
                OutputStream out = client.getOutputStream();
                out.write(new byte[10_000]);
                out.flush();
                accepted.getInputStream().readNBytes(10_000);
                InetSocketAddress c = (InetSocketAddress) client.getLocalSocketAddress();
                InetSocketAddress s = (InetSocketAddress) server.getLocalSocketAddress();
                PacketView fromClient = new PacketView(c.getAddress(), c.getPort(), s.getAddress(), s.getPort());

                TcpInfo sent = diag.lookup(TcpInfo.SENT, fromClient, 1).orElseThrow();
                assertThat(sent.dirn()).isEqualTo(TcpInfo.SENT);
                assertThat(sent.sndMss()).isBetween(500L, 70_000L);
                assertThat(sent.pmtu()).isEqualTo(65_535);
                assertThat(sent.sndCwnd()).isPositive();
                assertThat(sent.rttMicros()).as("microseconds, loopback: well under a second").isBetween(1L, 1_000_000L);

                TcpInfo received = diag.lookup(TcpInfo.RECEIVED, fromClient, 1).orElseThrow();
                assertThat(received.dirn()).isEqualTo(TcpInfo.RECEIVED);
                assertThat(received.rcvMss()).isPositive();

                PacketView nobody = new PacketView(c.getAddress(), 1, s.getAddress(), 2);
                assertThat(diag.lookup(TcpInfo.SENT, nobody, 1)).isEmpty();
            }
        }
    }
}
