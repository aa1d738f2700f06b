package dev.sel4sim.system.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the stream connections of a system: consoles to serial servers and ethernet links
 * between VMs' virtio-net devices and network components. Every endpoint is cabled once.
 */
final class LinkChecker {
    /** Network component kinds and their named ports; an empty list is one unnamed port. */
    static final Map<String, List<String>> NET_PORTS = Map.of(
            "vswitch", List.of(),
            "firewall", List.of("outside", "inside"),
            "udp-server", List.of(),
            "ethernet-driver", List.of());

    private final SystemSpec s;
    private final List<ConfigError> errors;
    private final String f;
    private final Map<String, Integer> used = new HashMap<>();

    LinkChecker(SystemSpec s, List<ConfigError> errors) {
        this.s = s;
        this.errors = errors;
        this.f = s.file();
    }

    void console(ConnectionSpec.Console c) {
        Optional<ComponentSpec> to = component(c.to());
        if (to.isEmpty()) {
            error(c.line(), "console 'to' names unknown component '" + c.to() + "'", "a component of kind serial, one of " + components());
        } else if (!to.get().kind().equals("serial")) {
            error(c.line(), "console 'to' is '" + c.to() + "', a " + to.get().kind() + " component", "a component of kind serial");
        }
        for (String from : c.from()) {
            String[] p = from.split("\\.", 2);
            Optional<VmSpec> vm = vm(p[0]);
            if (vm.isEmpty()) {
                error(c.line(), "console 'from' names unknown VM '" + p[0] + "'", "a VM (its UART) or VM.DEVICE (its virtio console), VMs: " + vms());
                continue;
            }
            if (p.length == 2) {
                Optional<VirtioDeviceSpec> d = vm.get().virtio().stream().filter(x -> x.name().equals(p[1])).findFirst();
                if (d.isEmpty() || !d.get().type().equals("console")) {
                    error(c.line(), "console 'from' names '" + from + "', but VM '" + p[0] + "' has no virtio console named '" + p[1] + "'",
                            "one of " + devices(vm.get(), "console") + ", or '" + p[0] + "' for its UART");
                    continue;
                }
            }
            once(c.line(), from);
        }
    }

    void ethernet(ConnectionSpec.Ethernet e) {
        boolean toSwitch = endpoint(e.line(), e.to(), true);
        if (!toSwitch && e.from().size() != 1) {
            error(e.line(), "ethernet link to '" + e.to() + "' has " + e.from().size() + " ends on the other side",
                    "exactly one, or a component of kind vswitch as 'to' for many");
        }
        for (String from : e.from()) {
            if (endpoint(e.line(), from, false)) {
                error(e.line(), "ethernet 'from' is the switch '" + from + "'", "cable a switch as 'to' (switch-to-switch links are not modelled)");
            }
        }
    }

    /** Checks one end; returns whether it is a virtual switch. */
    private boolean endpoint(int line, String name, boolean isTo) {
        String[] p = name.split("\\.", 2);
        Optional<VmSpec> vm = vm(p[0]);
        if (vm.isPresent()) {
            Optional<VirtioDeviceSpec> d = p.length == 2
                    ? vm.get().virtio().stream().filter(x -> x.name().equals(p[1])).findFirst() : Optional.empty();
            if (d.isEmpty() || !d.get().type().equals("net")) {
                error(line, "ethernet end '" + name + "' is not a virtio-net device of VM '" + p[0] + "'", "one of " + devices(vm.get(), "net"));
            } else {
                once(line, name);
            }
            return false;
        }
        Optional<ComponentSpec> c = component(p[0]);
        if (c.isEmpty()) {
            error(line, "ethernet end '" + name + "' names no VM and no component", "VM.DEVICE (virtio-net) or a network component, one of "
                    + components());
            return false;
        }
        List<String> ports = NET_PORTS.get(c.get().kind());
        if (ports == null) {
            error(line, "ethernet end '" + name + "' is a " + c.get().kind() + " component", "a network component (kinds " + new TreeSet<>(NET_PORTS.keySet()) + ")");
            return false;
        }
        boolean isSwitch = c.get().kind().equals("vswitch");
        if (isSwitch) {
            if (p.length == 2) {
                error(line, "ethernet end '" + name + "': a switch has no named ports", "'" + p[0] + "' (each link adds a port)");
            }
            return true;
        }
        if (ports.isEmpty() && p.length == 2) {
            error(line, "ethernet end '" + name + "': a " + c.get().kind() + " has one port", "'" + p[0] + "'");
        } else if (!ports.isEmpty() && (p.length == 1 || !ports.contains(p[1]))) {
            error(line, "ethernet end '" + name + "' needs a port of " + c.get().kind() + " '" + p[0] + "'",
                    "one of " + ports.stream().map(x -> p[0] + "." + x).toList());
        } else {
            once(line, name);
        }
        return false;
    }

    private void once(int line, String end) {
        Integer first = used.putIfAbsent(end, line);
        if (first != null) {
            error(line, "'" + end + "' is connected twice (first at line " + first + ")", "one connection per console or network port");
        }
    }

    private Optional<ComponentSpec> component(String name) {
        return s.components().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private Optional<VmSpec> vm(String name) {
        return s.vms().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    private Set<String> components() {
        return new TreeSet<>(s.components().stream().map(ComponentSpec::name).toList());
    }

    private Set<String> vms() {
        return new TreeSet<>(s.vms().stream().map(VmSpec::name).toList());
    }

    private static List<String> devices(VmSpec vm, String type) {
        return vm.virtio().stream().filter(d -> d.type().equals(type)).map(d -> vm.name() + "." + d.name()).toList();
    }

    private void error(int line, String what, String fix) {
        errors.add(new ConfigError(f, line, what, fix));
    }
}
