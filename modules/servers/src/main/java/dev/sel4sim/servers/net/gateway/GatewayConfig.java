package dev.sel4sim.servers.net.gateway;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.sel4sim.servers.net.Ipv4Address;
import dev.sel4sim.servers.net.stack.NetInterface;
import dev.sel4sim.servers.net.stack.UdpEndpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * A host UDP gateway: its identity on the simulated network, the host address its sockets bind
 * (127.0.0.1 unless told otherwise), the forwarded ports, how many host peers it remembers at
 * once, and how many frames towards the network it buffers before dropping.
 */
public record GatewayConfig(NetInterface iface, String hostAddress, List<Forward> forwards, int flowCapacity, int outputBuffer) {
    public static final String LOOPBACK = "127.0.0.1";

    public GatewayConfig {
        forwards = List.copyOf(forwards);
        if (forwards.isEmpty()) {
            throw new IllegalArgumentException("a host UDP gateway needs at least one forward");
        }
        if (flowCapacity < 1 || flowCapacity > 16384 || outputBuffer < 1) {
            throw new IllegalArgumentException("flow capacity must be 1..16384 and the output buffer positive; got " + flowCapacity + ", " + outputBuffer);
        }
    }

    /** Forwards on 127.0.0.1 with room for 256 host peers and 64 frames. */
    public static GatewayConfig loopback(NetInterface iface, List<Forward> forwards) {
        return new GatewayConfig(iface, LOOPBACK, forwards, 256, 64);
    }

    /**
     * Reads {@code mac}, {@code ip}, optional {@code host-address}, {@code flows} and
     * {@code buffer}, and {@code forwards = [ { host-port = 5555, to = "10.0.0.2:7" } ]}.
     */
    public static GatewayConfig fromConfig(Config c) {
        try {
            NetInterface iface = NetInterface.of(c.getString("mac"), c.getString("ip"));
            List<Forward> forwards = new ArrayList<>();
            List<? extends Config> list = c.getConfigList("forwards");
            for (int i = 0; i < list.size(); i++) {
                Config f = list.get(i);
                try {
                    String to = f.getString("to");
                    int colon = to.lastIndexOf(':');
                    if (colon < 0) {
                        throw new IllegalArgumentException("'" + to + "' is not an address:port like 10.0.0.2:7");
                    }
                    forwards.add(new Forward(f.getInt("host-port"),
                            new UdpEndpoint(Ipv4Address.parse(to.substring(0, colon)), Integer.parseInt(to.substring(colon + 1)))));
                } catch (IllegalArgumentException | ConfigException e) {
                    throw new IllegalArgumentException(f.origin().description() + ": forward " + i + ": " + e.getMessage(), e);
                }
            }
            return new GatewayConfig(iface, c.hasPath("host-address") ? c.getString("host-address") : LOOPBACK, forwards,
                    c.hasPath("flows") ? c.getInt("flows") : 256, c.hasPath("buffer") ? c.getInt("buffer") : 64);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("host UDP gateway: " + e.getMessage(), e);
        }
    }
}
