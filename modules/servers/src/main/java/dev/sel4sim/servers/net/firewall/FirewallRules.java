package dev.sel4sim.servers.net.firewall;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.sel4sim.servers.net.Ipv4Packet;
import dev.sel4sim.servers.net.Ipv4Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A firewall's rules in order (first match wins) and the action for packets no rule matches.
 * Written in HOCON as:
 * <pre>
 * default = deny
 * rules = [
 *   { action = allow, protocol = udp, dst-port = 7 }
 *   { action = allow, protocol = icmp, src = "10.0.0.0/8" }
 *   { action = deny, protocol = udp, src-port = "1000-2000", dst = "10.0.2.15" }
 * ]
 * </pre>
 * {@code protocol} is any (the default), udp, tcp, icmp or a number; {@code src}/{@code dst} are
 * addresses or prefixes; ports are a number or a range and need udp or tcp.
 */
public record FirewallRules(List<FirewallRule> rules, Action defaultAction) {
    private static final Set<String> FIELDS = Set.of("action", "protocol", "src", "dst", "src-port", "dst-port");
    private static final Map<String, Integer> PROTOCOLS = Map.of("udp", Ipv4Packet.PROTO_UDP, "tcp", Ipv4Packet.PROTO_TCP, "icmp", Ipv4Packet.PROTO_ICMP);

    public FirewallRules {
        rules = List.copyOf(rules);
    }

    /** Reads {@code default} and {@code rules} from {@code config}; errors name the rule index and field. */
    public static FirewallRules fromConfig(Config config) {
        String where = config.origin().description();
        Action dflt = Action.DENY;
        if (config.hasPath("default")) {
            dflt = action(config.getValue("default"), where, -1, "default");
        }
        List<FirewallRule> rules = new ArrayList<>();
        if (config.hasPath("rules")) {
            List<? extends Config> list;
            try {
                list = config.getConfigList("rules");
            } catch (ConfigException.WrongType e) {
                throw new FirewallConfigError(config.getValue("rules").origin().description(), -1, "rules", "must be a list of objects like { action = allow, protocol = udp, dst-port = 7 }");
            }
            for (int i = 0; i < list.size(); i++) {
                rules.add(rule(list.get(i), i));
            }
        }
        return new FirewallRules(rules, dflt);
    }

    private static FirewallRule rule(Config c, int i) {
        String where = c.origin().description();
        for (String key : c.root().keySet()) {
            if (!FIELDS.contains(key)) {
                throw new FirewallConfigError(where, i, key, "unknown field; a rule has " + new java.util.TreeSet<>(FIELDS));
            }
        }
        if (!c.hasPath("action")) {
            throw new FirewallConfigError(where, i, "action", "missing; write allow or deny");
        }
        Action action = action(c.getValue("action"), where, i, "action");
        int protocol = FirewallRule.ANY_PROTOCOL;
        if (c.hasPath("protocol")) {
            String p = scalar(c.getValue("protocol"), where, i, "protocol").toLowerCase(Locale.ROOT);
            if (PROTOCOLS.containsKey(p)) {
                protocol = PROTOCOLS.get(p);
            } else if (!p.equals("any")) {
                try {
                    protocol = Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    protocol = -2;
                }
                if (protocol < 0 || protocol > 255) {
                    throw new FirewallConfigError(where, i, "protocol", "'" + p + "' is not any, udp, tcp, icmp or a number 0-255");
                }
            }
        }
        Ipv4Prefix src = prefix(c, "src", where, i);
        Ipv4Prefix dst = prefix(c, "dst", where, i);
        PortRange srcPorts = ports(c, "src-port", where, i);
        PortRange dstPorts = ports(c, "dst-port", where, i);
        for (String f : List.of("src-port", "dst-port")) {
            if (c.hasPath(f) && protocol != Ipv4Packet.PROTO_UDP && protocol != Ipv4Packet.PROTO_TCP) {
                throw new FirewallConfigError(where, i, f, "ports need protocol = udp or tcp");
            }
        }
        return new FirewallRule(action, protocol, src, dst, srcPorts, dstPorts, where);
    }

    private static Action action(ConfigValue v, String where, int i, String field) {
        String s = scalar(v, where, i, field).toLowerCase(Locale.ROOT);
        return switch (s) {
            case "allow" -> Action.ALLOW;
            case "deny" -> Action.DENY;
            default -> throw new FirewallConfigError(where, i, field, "'" + s + "' is neither allow nor deny");
        };
    }

    private static Ipv4Prefix prefix(Config c, String field, String where, int i) {
        if (!c.hasPath(field)) {
            return Ipv4Prefix.ANY;
        }
        try {
            return Ipv4Prefix.parse(scalar(c.getValue(field), where, i, field));
        } catch (IllegalArgumentException e) {
            if (e instanceof FirewallConfigError fe) {
                throw fe;
            }
            throw new FirewallConfigError(where, i, field, e.getMessage());
        }
    }

    private static PortRange ports(Config c, String field, String where, int i) {
        if (!c.hasPath(field)) {
            return PortRange.ANY;
        }
        try {
            return PortRange.parse(scalar(c.getValue(field), where, i, field));
        } catch (IllegalArgumentException e) {
            if (e instanceof FirewallConfigError fe) {
                throw fe;
            }
            throw new FirewallConfigError(where, i, field, e.getMessage());
        }
    }

    private static String scalar(ConfigValue v, String where, int i, String field) {
        if (v.valueType() == ConfigValueType.STRING || v.valueType() == ConfigValueType.NUMBER) {
            return String.valueOf(v.unwrapped()).trim();
        }
        throw new FirewallConfigError(where, i, field, "expected a string or number, got " + v.valueType().name().toLowerCase(Locale.ROOT));
    }
}
