package dev.sel4sim.system.assembly;

import com.typesafe.config.Config;
import dev.sel4sim.servers.net.firewall.Firewall;
import dev.sel4sim.servers.net.firewall.FirewallRules;
import dev.sel4sim.servers.net.gateway.GatewayConfig;
import dev.sel4sim.servers.net.gateway.HostUdpGateway;
import dev.sel4sim.servers.net.stack.Echo;
import dev.sel4sim.servers.net.stack.NetInterface;
import dev.sel4sim.servers.net.stack.UdpServer;
import dev.sel4sim.servers.net.vswitch.PortCounters;
import dev.sel4sim.servers.net.vswitch.SwitchConfig;
import dev.sel4sim.servers.net.vswitch.VirtualSwitch;
import dev.sel4sim.system.config.ComponentSpec;
import dev.sel4sim.system.config.ConnectionSpec;
import dev.sel4sim.system.config.SystemSpec;
import dev.sel4sim.virtio.net.VirtioNet;
import dev.sel4sim.vmm.run.VmDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.MergeHub;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The system's Ethernet: network components (virtual switch, firewall, UDP server with echo,
 * Ethernet driver with its host UDP gateway) as stream stages, cabled to each other and to the
 * VMs' virtio-net devices along the system file's {@code ethernet} connections.
 *
 * <p>Every port is a {@code Flow} whose input is what arrives at its node from the wire and whose
 * output is what the node puts on the wire, so a link is one {@code join}. Close it to cut every
 * link and release the host sockets.
 */
public final class NetworkWiring implements AutoCloseable {
    private final Map<String, VirtualSwitch> switches = new LinkedHashMap<>();
    private final Map<String, Firewall> firewalls = new LinkedHashMap<>();
    private final Map<String, UdpServer> udpServers = new LinkedHashMap<>();
    private final Map<String, HostUdpGateway> gateways = new LinkedHashMap<>();
    private final List<UniqueKillSwitch> links = new ArrayList<>();
    private final Map<String, List<String>> switchPortNames = new LinkedHashMap<>();

    private NetworkWiring() {
    }

    /**
     * Builds the network components of {@code spec} and cables every {@code ethernet} connection.
     *
     * @param vmNet  a VM's virtio devices by VM name
     * @param simNow simulated time (switch ageing)
     */
    public static NetworkWiring start(SystemSpec spec, Function<String, List<VmDevice>> vmNet, LongSupplier simNow,
                                      Materializer mat) {
        NetworkWiring w = new NetworkWiring();
        try {
            w.build(spec, vmNet, simNow, mat);
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        return w;
    }

    private void build(SystemSpec spec, Function<String, List<VmDevice>> vmNet, LongSupplier simNow, Materializer mat) {
        List<ConnectionSpec.Ethernet> ethernet = spec.connections().stream()
                .filter(c -> c instanceof ConnectionSpec.Ethernet).map(c -> (ConnectionSpec.Ethernet) c).toList();
        if (ethernet.isEmpty()) {
            return;
        }
        for (ConnectionSpec.Ethernet e : ethernet) {
            // A switch numbers its ports in the order the file cables them.
            switchPortNames.computeIfAbsent(e.to(), k -> new ArrayList<>()).addAll(e.from());
        }
        Map<String, Pair<Flow<ByteString, ByteString, NotUsed>, Flow<ByteString, ByteString, NotUsed>>> firewallPorts = new LinkedHashMap<>();
        for (ComponentSpec c : spec.components()) {
            Config s = c.settings();
            switch (c.kind()) {
                case "vswitch" -> switches.put(c.name(), new VirtualSwitch(switchConfig(c, switchPortNames.getOrDefault(c.name(), List.of())), simNow));
                case "firewall" -> {
                    Firewall fw = new Firewall(FirewallRules.fromConfig(s));
                    firewalls.put(c.name(), fw);
                    firewallPorts.put(c.name(), firewallPorts(fw, mat));
                }
                case "udp-server" -> {
                    UdpServer server = new UdpServer(NetInterface.of(s.getString("mac"), s.getString("ip")));
                    if (s.hasPath("echo")) {
                        for (int port : s.getIntList("echo")) {
                            server.bind(port, new Echo());
                        }
                    }
                    udpServers.put(c.name(), server);
                }
                case "ethernet-driver" -> gateways.put(c.name(), HostUdpGateway.start(GatewayConfig.fromConfig(s)));
                default -> { }
            }
        }
        Map<String, Integer> nextPort = new LinkedHashMap<>();
        for (ConnectionSpec.Ethernet e : ethernet) {
            for (String from : e.from()) {
                Flow<ByteString, ByteString, NotUsed> a = port(from, vmNet, firewallPorts, nextPort);
                Flow<ByteString, ByteString, NotUsed> b = port(e.to(), vmNet, firewallPorts, nextPort);
                // a's output to b's input and back; the kill switch cuts the pair at close.
                UniqueKillSwitch ks = a.viaMat(KillSwitches.single(), Keep.right()).joinMat(b, Keep.left()).run(mat);
                links.add(ks);
            }
        }
    }

    private Flow<ByteString, ByteString, NotUsed> port(String end, Function<String, List<VmDevice>> vmNet,
                                                      Map<String, Pair<Flow<ByteString, ByteString, NotUsed>, Flow<ByteString, ByteString, NotUsed>>> fwPorts,
                                                      Map<String, Integer> nextPort) {
        String[] p = end.split("\\.", 2);
        if (switches.containsKey(p[0])) {
            return switches.get(p[0]).port(nextPort.merge(p[0], 1, Integer::sum) - 1);
        }
        if (fwPorts.containsKey(p[0])) {
            return p[1].equals("outside") ? fwPorts.get(p[0]).first() : fwPorts.get(p[0]).second();
        }
        if (udpServers.containsKey(p[0])) {
            return udpServers.get(p[0]).flow();
        }
        if (gateways.containsKey(p[0])) {
            return gateways.get(p[0]).flow();
        }
        VirtioNet net = vmNet.apply(p[0]).stream().filter(a -> a.name().equals(p[1])).findFirst()
                .flatMap(VmDevice::net)
                .orElseThrow(() -> new IllegalArgumentException("no virtio-net device " + end));
        return net.frames();
    }

    /**
     * A switch's ports and allow lists: {@code allow = [ { from = vm0.eth0, to = [vm1.eth0, "52:54:00:00:00:03"] } ]}
     * lets frames entering the port cabled to {@code from} leave only through the listed ports, or
     * to the listed MACs; ports without an entry are open. Everything else is dropped and counted.
     */
    private static SwitchConfig switchConfig(ComponentSpec c, List<String> ports) {
        SwitchConfig cfg = SwitchConfig.open(Math.max(1, ports.size()));
        if (!c.settings().hasPath("allow")) {
            return cfg;
        }
        for (Config rule : c.settings().getConfigList("allow")) {
            String from = rule.getString("from");
            int in = ports.indexOf(from);
            if (in < 0) {
                throw new IllegalArgumentException("switch " + c.name() + ": allow rule 'from = " + from + "' is not cabled to it; its ports are " + ports);
            }
            java.util.Set<Integer> toPorts = new java.util.HashSet<>();
            java.util.Set<dev.sel4sim.servers.net.MacAddress> toMacs = new java.util.HashSet<>();
            for (String to : rule.getStringList("to")) {
                if (to.matches("([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}")) {
                    toMacs.add(dev.sel4sim.servers.net.MacAddress.parse(to));
                } else if (ports.contains(to)) {
                    toPorts.add(ports.indexOf(to));
                } else {
                    throw new IllegalArgumentException("switch " + c.name() + ": allow rule for " + from + " names '" + to
                            + "', neither one of its ports " + ports + " nor a MAC address");
                }
            }
            cfg = cfg.withPolicy(in, dev.sel4sim.servers.net.vswitch.PortPolicy.only(toPorts, toMacs));
        }
        return cfg;
    }

    /**
     * The firewall's two ports: outside (frames in are filtered on their way to the inside) and
     * inside (frames in go out of the outside port unchanged). Hubs join the sides so either
     * may be cabled first; they buffer and backpressure, they never drop.
     */
    private static Pair<Flow<ByteString, ByteString, NotUsed>, Flow<ByteString, ByteString, NotUsed>> firewallPorts(Firewall fw, Materializer mat) {
        Pair<Sink<ByteString, NotUsed>, Source<ByteString, NotUsed>> inward = pipe(mat);
        Pair<Sink<ByteString, NotUsed>, Source<ByteString, NotUsed>> outward = pipe(mat);
        Flow<ByteString, ByteString, NotUsed> outside = Flow.fromSinkAndSource(fw.flow().to(inward.first()), outward.second());
        Flow<ByteString, ByteString, NotUsed> inside = Flow.fromSinkAndSource(outward.first(), inward.second());
        return Pair.create(outside, inside);
    }

    private static Pair<Sink<ByteString, NotUsed>, Source<ByteString, NotUsed>> pipe(Materializer mat) {
        return MergeHub.of(ByteString.class, 16).toMat(BroadcastHub.of(ByteString.class, 256), Keep.both()).run(mat);
    }

    /**
     * One line per switch port, firewall and gateway with its counters, for the end of a run: what
     * crossed the network and what was dropped where.
     */
    public List<String> report() {
        List<String> out = new ArrayList<>();
        switches.forEach((name, sw) -> {
            List<String> names = switchPortNames.getOrDefault(name, List.of());
            for (int i = 0; i < names.size(); i++) {
                PortCounters c = sw.counters(i);
                out.add(String.format("switch %s port %d (%s): %,d frames in, %,d out, dropped %,d no route, %,d denied, %,d queue full, %,d malformed",
                        name, i, names.get(i), c.rx(), c.tx(), c.noRoute(), c.denied(), c.queueFull(), c.malformed()));
            }
        });
        firewalls.forEach((name, fw) -> {
            var c = fw.counters();
            out.add(String.format("firewall %s: rule hits %s, default policy %,d, ARP %,d, malformed %,d, fragments %,d",
                    name, c.perRule(), c.defaultPolicy(), c.arp(), c.malformed(), c.fragments()));
        });
        gateways.forEach((name, g) -> out.add("ethernet driver " + name + " (host gateway): " + g.counters()));
        udpServers.forEach((name, u) -> out.add("udp server " + name + ": " + u.counters()));
        return out;
    }

    /** Where host programs reach the simulated network: one line per forwarded UDP port. */
    public List<String> hostPorts() {
        List<String> out = new ArrayList<>();
        gateways.forEach((name, g) -> {
            var forwards = g.config().forwards();
            for (int i = 0; i < forwards.size(); i++) {
                out.add(String.format("%s forwards udp %s:%d to %s", name, g.config().hostAddress(), g.hostPort(i), forwards.get(i).target()));
            }
        });
        return out;
    }

    /** The Ethernet driver's host gateway (its bound host ports), by component name. */
    public HostUdpGateway gateway(String name) {
        return gateways.get(name);
    }

    @Override
    public void close() {
        links.forEach(UniqueKillSwitch::shutdown);
        gateways.values().forEach(HostUdpGateway::close);
    }
}
