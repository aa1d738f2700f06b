package dev.sel4sim.servers.net.stack;

import dev.sel4sim.servers.net.Ipv4Address;
import dev.sel4sim.servers.net.MacAddress;

/** A simulated host's network interface: its MAC and its IPv4 address. */
public record NetInterface(MacAddress mac, Ipv4Address ip) {
    public NetInterface {
        if (mac.isMulticast()) {
            throw new IllegalArgumentException("interface MAC " + mac + " is a group address; a host needs a unicast MAC");
        }
    }

    public static NetInterface of(String mac, String ip) {
        return new NetInterface(MacAddress.parse(mac), Ipv4Address.parse(ip));
    }
}
