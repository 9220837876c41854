package tailflow.systemtest.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import tailflow.systemtest.support.UdpCollector;

/**
 * An sFlow v5 collector that only counts: it walks each datagram's header and sample list
 * (tag, length) and counts flow samples (tags 1 and 3) and counter samples (tags 2 and 4). Full
 * decoding is the sflow tests' job (tshark, sfacctd); this only proves the agent under the unit
 * sampled packets and reached the collector. A malformed datagram counts as such, not as samples.
 * Receiving is {@link UdpCollector}'s job; the counts are taken over everything received so far.
 */
final class SflowCounter implements AutoCloseable {
    private final UdpCollector collector;

    private SflowCounter(UdpCollector collector) {
        this.collector = collector;
    }

    static SflowCounter on(String bindAddress) throws IOException {
        return new SflowCounter(UdpCollector.on(bindAddress));
    }

    int port() {
        return collector.port();
    }

    int datagrams() {
        return count().datagrams;
    }

    int flowSamples() {
        return count().flowSamples;
    }

    int counterSamples() {
        return count().counterSamples;
    }

    int malformed() {
        return count().malformed;
    }

    private Counts count() {
        Counts counts = new Counts();
        collector.datagrams().forEach(d -> counts.add(ByteBuffer.wrap(d)));
        return counts;
    }

    private static final class Counts {
        int datagrams;
        int flowSamples;
        int counterSamples;
        int malformed;

        void add(ByteBuffer b) {
            try {
                if (b.getInt() != 5) {
                    malformed++;
                    return;
                }
                int addressType = b.getInt();
                b.position(b.position() + (addressType == 2 ? 16 : 4));
                b.getInt(); // sub-agent id
                b.getInt(); // sequence number
                b.getInt(); // uptime
                int samples = b.getInt();
                int flows = 0;
                int counters = 0;
                for (int i = 0; i < samples; i++) {
                    int format = b.getInt() & 0xfff; // enterprise 0 in the upper 20 bits
                    int length = b.getInt();
                    b.position(b.position() + length);
                    if (format == 1 || format == 3) {
                        flows++;
                    } else if (format == 2 || format == 4) {
                        counters++;
                    }
                }
                datagrams++;
                flowSamples += flows;
                counterSamples += counters;
            } catch (RuntimeException e) {
                malformed++;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        collector.close();
    }
}
