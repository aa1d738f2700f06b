package dev.sel4sim.servers.net.vswitch;

import dev.sel4sim.servers.net.EthernetFrame;
import dev.sel4sim.servers.net.MacAddress;
import org.apache.pekko.util.ByteString;

/**
 * The forwarding logic of a learning switch, without streams: given a frame and the port it came
 * in on, learn its source and decide the ports it goes out of. Counts per port. Thread-safe (every
 * port's ingress may call it), and its state is plain fields and the {@link MacTable}.
 */
public final class SwitchCore {
    private static final int[] NOWHERE = new int[0];

    private final SwitchConfig config;
    private final MacTable table;
    private final long[] rx, tx, noRoute, denied, queueFull, malformed;

    public SwitchCore(SwitchConfig config) {
        this.config = config;
        this.table = new MacTable(config.ageingNs(), config.tableCapacity());
        int n = config.ports();
        rx = new long[n];
        tx = new long[n];
        noRoute = new long[n];
        denied = new long[n];
        queueFull = new long[n];
        malformed = new long[n];
    }

    public SwitchConfig config() {
        return config;
    }

    /**
     * The ports {@code frame}, received on {@code inPort} at simulated time {@code nowNs}, goes out
     * of; empty when it is dropped (and counted on {@code inPort}).
     */
    public synchronized int[] forward(int inPort, ByteString frame, long nowNs) {
        checkPort(inPort);
        rx[inPort]++;
        EthernetFrame.Addresses a = EthernetFrame.addresses(frame);
        if (a == null) {
            malformed[inPort]++;
            return NOWHERE;
        }
        if (!a.src().isMulticast()) {
            table.learn(a.src(), inPort, nowNs);
        }
        PortPolicy policy = config.policies().get(inPort);
        if (!a.dst().isMulticast()) {
            int out = table.portOf(a.dst(), nowNs);
            if (out >= 0) {
                if (out == inPort) {
                    noRoute[inPort]++;
                    return NOWHERE;
                }
                if (!policy.open() && !policy.ports().contains(out) && !policy.macs().contains(a.dst())) {
                    denied[inPort]++;
                    return NOWHERE;
                }
                return new int[]{out};
            }
        }
        return flood(inPort, policy, nowNs);
    }

    private int[] flood(int inPort, PortPolicy policy, long nowNs) {
        int n = config.ports();
        if (n == 1) {
            noRoute[inPort]++;
            return NOWHERE;
        }
        int[] out = new int[n - 1];
        int k = 0;
        for (int p = 0; p < n; p++) {
            if (p != inPort && floodAllowed(policy, p, nowNs)) {
                out[k++] = p;
            }
        }
        if (k == 0) {
            denied[inPort]++;
            return NOWHERE;
        }
        return k == out.length ? out : java.util.Arrays.copyOf(out, k);
    }

    private boolean floodAllowed(PortPolicy policy, int port, long nowNs) {
        if (policy.open() || policy.ports().contains(port)) {
            return true;
        }
        for (MacAddress m : policy.macs()) {
            if (table.portOf(m, nowNs) == port) {
                return true;
            }
        }
        return false;
    }

    /** A frame was handed to {@code port}'s device. */
    public synchronized void countTx(int port) {
        tx[port]++;
    }

    /** A frame for {@code port} was dropped because its output buffer was full. */
    public synchronized void countQueueFull(int port) {
        queueFull[port]++;
    }

    /** Forgets the MACs learned on {@code port}, e.g. when its device detaches. */
    public synchronized void forgetPort(int port) {
        checkPort(port);
        table.forgetPort(port);
    }

    /** The port {@code mac} is learned on now, or -1. */
    public synchronized int portOf(MacAddress mac, long nowNs) {
        return table.portOf(mac, nowNs);
    }

    public synchronized int learnedMacs() {
        return table.size();
    }

    public synchronized PortCounters counters(int port) {
        checkPort(port);
        return new PortCounters(rx[port], tx[port], noRoute[port], denied[port], queueFull[port], malformed[port]);
    }

    private void checkPort(int port) {
        if (port < 0 || port >= config.ports()) {
            throw new IllegalArgumentException("port " + port + " does not exist; this switch has ports 0.." + (config.ports() - 1));
        }
    }
}
