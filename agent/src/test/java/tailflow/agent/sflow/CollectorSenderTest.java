package tailflow.agent.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import tailflow.agent.config.SflowConfig.Collector;
import tailflow.agent.ops.metrics.Metrics;

/** Real UDP on 127.0.0.1; the resolver is a map so "does not resolve" needs no DNS. */
class CollectorSenderTest {

    @Test
    void anUnresolvableCollectorIsReportedOnceAndTheOthersStillReceive() throws Exception {
        List<String> logged = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger jul = Logger.getLogger("tailflow.agent.sflow");
        jul.addHandler(h);
        Map<String, InetAddress> dns = new ConcurrentHashMap<>(Map.of("127.0.0.1", InetAddress.getLoopbackAddress()));
        CollectorSender.Resolver resolver = host -> {
            InetAddress a = dns.get(host);
            if (a == null) {
                throw new UnknownHostException(host + ": Name or service not known");
            }
            return a;
        };
        try (DatagramSocket rx = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                DatagramSocket closedPort = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int deadPort = closedPort.getLocalPort();
            closedPort.close(); // nothing listens there: ICMP port unreachable, which must not matter
            rx.setSoTimeout(5000);
            SflowMetrics metrics = new SflowMetrics(new Metrics());
            try (CollectorSender sender = new CollectorSender(List.of(new Collector("collector.lab.invalid", 6343),
                    new Collector("127.0.0.1", deadPort), new Collector("127.0.0.1", rx.getLocalPort())), resolver,
                    metrics)) {
                byte[] d = {1, 2, 3, 4};
                for (int i = 0; i < 3; i++) {
                    sender.send(d, 4);
                    DatagramPacket p = new DatagramPacket(new byte[16], 16);
                    rx.receive(p);
                    assertThat(p.getLength()).isEqualTo(4);
                }
                sender.resolvePending();
                assertThat(logged.stream().filter(m -> m.contains("collector.lab.invalid")).toList()).hasSize(1)
                        .allSatisfy(m -> assertThat(m).contains("does not resolve").contains("keep running"));
                assertThat(sender.resolved()).hasSize(2);

                dns.put("collector.lab.invalid", InetAddress.getLoopbackAddress());
                sender.resolvePending();
                assertThat(sender.resolved()).hasSize(3);
                assertThat(logged).anyMatch(m -> m.contains("now resolves"));
            }
        } finally {
            jul.removeHandler(h);
        }
    }
}
