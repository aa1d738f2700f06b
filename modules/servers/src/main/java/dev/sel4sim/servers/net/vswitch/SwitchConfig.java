package dev.sel4sim.servers.net.vswitch;

import java.util.List;

/**
 * A virtual switch's shape: its port count, how long a learned MAC stays valid in simulated time
 * without being seen again, how many MACs it learns at most, the frames each output port buffers
 * before dropping, and each port's policy (one per port).
 */
public record SwitchConfig(int ports, long ageingNs, int tableCapacity, int outputBuffer, List<PortPolicy> policies) {
    /** A common switch's ageing time, 300 s. */
    public static final long DEFAULT_AGEING_NS = 300_000_000_000L;

    public SwitchConfig {
        policies = List.copyOf(policies);
        if (ports < 1) {
            throw new IllegalArgumentException("a switch needs at least one port, got " + ports);
        }
        if (ageingNs <= 0 || tableCapacity < 1 || outputBuffer < 1) {
            throw new IllegalArgumentException("ageing, table capacity and output buffer must be positive; got "
                    + ageingNs + " ns, " + tableCapacity + ", " + outputBuffer);
        }
        if (policies.size() != ports) {
            throw new IllegalArgumentException("one policy per port: " + ports + " ports but " + policies.size() + " policies");
        }
        for (int i = 0; i < ports; i++) {
            for (int p : policies.get(i).ports()) {
                if (p < 0 || p >= ports) {
                    throw new IllegalArgumentException("port " + i + " allows port " + p + ", which does not exist (0.." + (ports - 1) + ")");
                }
            }
        }
    }

    /** {@code ports} open ports with default ageing, 1024 MACs and 64-frame output buffers. */
    public static SwitchConfig open(int ports) {
        return new SwitchConfig(ports, DEFAULT_AGEING_NS, 1024, 64, java.util.Collections.nCopies(ports, PortPolicy.OPEN));
    }

    public SwitchConfig withPolicy(int port, PortPolicy policy) {
        java.util.List<PortPolicy> p = new java.util.ArrayList<>(policies);
        p.set(port, policy);
        return new SwitchConfig(ports, ageingNs, tableCapacity, outputBuffer, p);
    }

    public SwitchConfig withOutputBuffer(int frames) {
        return new SwitchConfig(ports, ageingNs, tableCapacity, frames, policies);
    }

    public SwitchConfig withAgeing(long ns) {
        return new SwitchConfig(ports, ns, tableCapacity, outputBuffer, policies);
    }
}
