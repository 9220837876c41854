package tailflow.agent.sflow;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.ArrayList;
import java.util.List;
import tailflow.agent.config.SflowConfig.Collector;

/**
 * Sends each datagram to every collector over one unconnected UDP socket. Nothing here is fatal:
 * an unconnected socket never sees ICMP port-unreachable, a send that fails (no route) is counted,
 * logged once per outage, and the next datagram simply tries again. A collector name that does not
 * resolve is reported once and retried by {@link #resolvePending()}; the other collectors still get data.
 */
public final class CollectorSender implements DatagramAssembler.Sink, AutoCloseable {

    /** Resolves names; the system resolver in production, a map in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    private static final Logger LOG = System.getLogger("tailflow.agent.sflow");

    /** A plain socket, not a channel: an interrupted sender thread must not close it for everyone. */
    private final DatagramSocket socket;
    private final Resolver resolver;
    private final SflowMetrics metrics;
    private final List<Target> targets = new ArrayList<>();

    private static final class Target {
        final Collector collector;
        volatile InetSocketAddress address;
        boolean failing;
        boolean unresolvedReported;

        Target(Collector c) {
            this.collector = c;
        }

        String label() {
            return collector.host() + ":" + collector.udpPort();
        }
    }

    public CollectorSender(List<Collector> collectors, Resolver resolver, SflowMetrics metrics) throws IOException {
        this.resolver = resolver;
        this.metrics = metrics;
        this.socket = new DatagramSocket();
        for (Collector c : collectors) {
            targets.add(new Target(c));
        }
        resolvePending();
    }

    /** Tries again to resolve collectors whose names did not resolve; may block on DNS, so not on the send path. */
    public synchronized void resolvePending() {
        for (Target t : targets) {
            if (t.address != null) {
                continue;
            }
            try {
                t.address = new InetSocketAddress(resolver.resolve(t.collector.host()), t.collector.udpPort());
                if (t.unresolvedReported) {
                    LOG.log(Level.INFO, "collector " + t.label() + " now resolves to " + t.address);
                }
            } catch (UnknownHostException e) {
                if (!t.unresolvedReported) {
                    t.unresolvedReported = true;
                    LOG.log(Level.WARNING, "collector host '" + t.collector.host() + "' does not resolve ("
                            + e.getMessage() + "); its datagrams are dropped until it does, retried every scan; "
                            + "check the collector { ip=... } setting. The other collectors and the log pipeline keep running.");
                }
            }
        }
    }

    /** Collectors that currently have an address. */
    public synchronized List<InetSocketAddress> resolved() {
        return targets.stream().filter(t -> t.address != null).map(t -> t.address).toList();
    }

    @Override
    public synchronized void send(byte[] datagram, int length) {
        for (Target t : targets) {
            InetSocketAddress to = t.address;
            if (to == null) {
                continue;
            }
            try {
                socket.send(new DatagramPacket(datagram, 0, length, to));
                if (t.failing) {
                    t.failing = false;
                    LOG.log(Level.INFO, "collector " + t.label() + " reachable again");
                }
            } catch (IOException e) {
                metrics.sendErrors.increment();
                if (!t.failing) {
                    t.failing = true;
                    LOG.log(Level.WARNING, "cannot send to collector " + t.label() + " (" + e.getMessage()
                            + "); retrying with every datagram");
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
