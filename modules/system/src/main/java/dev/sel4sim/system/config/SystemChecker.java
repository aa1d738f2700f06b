package dev.sel4sim.system.config;

import dev.sel4sim.boards.MemoryRegion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;

/**
 * Cross-checks a parsed system: names unique and known, cores the board has, each IRQ owned once
 * and within the board's lines, reserved memory inside RAM and not overlapping. Every error names
 * the file and line.
 */
public final class SystemChecker {
    private SystemChecker() {
    }

    public static SystemSpec check(SystemSpec s) {
        List<ConfigError> errors = new ArrayList<>();
        collect(s, errors);
        if (!errors.isEmpty()) {
            throw new SystemConfigException(errors);
        }
        return s;
    }

    /** Adds every cross-check failure of {@code s} to {@code errors}. */
    public static void collect(SystemSpec s, List<ConfigError> errors) {
        String f = s.file();
        Map<String, Integer> names = new HashMap<>();
        for (ComponentSpec c : s.components()) {
            Integer first = names.putIfAbsent(c.name(), c.line());
            if (first != null) {
                errors.add(new ConfigError(f, c.line(), "duplicate name '" + c.name() + "' (first defined at line " + first + ")", "a unique name per component and device"));
            }
            if (c.core() < 0 || c.core() >= s.cores()) {
                errors.add(new ConfigError(f, c.line(), "component '" + c.name() + "' is pinned to core " + c.core()
                        + " but board " + s.board().id() + " gives this system " + s.cores() + " core" + (s.cores() == 1 ? "" : "s"),
                        "core in 0.." + (s.cores() - 1)));
            }
        }
        for (DeviceSpec d : s.devices()) {
            Integer first = names.putIfAbsent(d.name(), d.line());
            if (first != null) {
                errors.add(new ConfigError(f, d.line(), "duplicate name '" + d.name() + "' (first defined at line " + first + ")", "a unique name per component and device"));
            }
        }
        Set<String> componentNames = new HashSet<>();
        s.components().forEach(c -> componentNames.add(c.name()));

        Map<Integer, String> irqOwners = new HashMap<>();
        Map<Integer, Integer> irqLines = new HashMap<>();
        int irqCount = s.board().physicalIrqCount();
        for (DeviceSpec d : s.devices()) {
            irqRange(errors, f, d.line(), "device '" + d.name() + "'", d.irq(), irqCount, s.board().id());
        }
        Map<String, Integer> connNames = new HashMap<>();
        LinkChecker links = new LinkChecker(s, errors);
        for (ConnectionSpec c : s.connections()) {
            Integer first = connNames.putIfAbsent(c.name(), c.line());
            if (first != null) {
                errors.add(new ConfigError(f, c.line(), "duplicate connection name '" + c.name() + "' (first at line " + first + ")", "a unique 'name' for each connection"));
            }
            switch (c) {
                case ConnectionSpec.Rpc r -> {
                    known(errors, f, r.line(), r.to(), componentNames, "rpc 'to'");
                    r.from().forEach(n -> known(errors, f, r.line(), n, componentNames, "rpc 'from'"));
                    if (r.from().contains(r.to())) {
                        errors.add(new ConfigError(f, r.line(), "component '" + r.to() + "' calls itself", "a connection between two different components"));
                    }
                }
                case ConnectionSpec.Notify n -> {
                    known(errors, f, n.line(), n.to(), componentNames, "notification 'to'");
                    n.from().forEach(x -> known(errors, f, n.line(), x, componentNames, "notification 'from'"));
                    if (n.from().size() > 64) {
                        errors.add(new ConfigError(f, n.line(), "notification '" + n.name() + "' has " + n.from().size() + " senders", "at most 64 (one badge bit each)"));
                    }
                }
                case ConnectionSpec.Irq i -> {
                    known(errors, f, i.line(), i.to(), componentNames, "irq 'to'");
                    irqRange(errors, f, i.line(), "irq connection '" + i.name() + "'", i.irq(), irqCount, s.board().id());
                    String prev = irqOwners.putIfAbsent(i.irq(), i.to());
                    if (prev != null) {
                        errors.add(new ConfigError(f, i.line(), "IRQ " + i.irq() + " is owned twice: by '" + prev + "' (line "
                                + irqLines.get(i.irq()) + ") and by '" + i.to() + "'", "each IRQ delivered to one component (seL4 issues one handler per IRQ)"));
                    } else {
                        irqLines.put(i.irq(), i.line());
                    }
                }
                case ConnectionSpec.SharedData d -> {
                    d.between().forEach(x -> known(errors, f, d.line(), x, componentNames, "shared-data 'between'"));
                    if (d.size() <= 0 || d.size() % 4096 != 0) {
                        errors.add(new ConfigError(f, d.line(), "shared-data '" + d.name() + "' size " + d.size() + " is not a whole number of 4 KiB frames", "a multiple of 4K"));
                    }
                }
                case ConnectionSpec.Timer t -> {
                    known(errors, f, t.line(), t.to(), componentNames, "timer 'to'");
                    t.from().forEach(x -> known(errors, f, t.line(), x, componentNames, "timer 'from'"));
                    s.components().stream().filter(x -> x.name().equals(t.to()) && !x.kind().equals("time-server")).findFirst()
                            .ifPresent(x -> errors.add(new ConfigError(f, t.line(), "timer 'to' is '" + t.to() + "', a " + x.kind() + " component",
                                    "a component of kind time-server")));
                }
                case ConnectionSpec.Console con -> links.console(con);
                case ConnectionSpec.Ethernet eth -> links.ethernet(eth);
                case ConnectionSpec.CrossVm x -> CrossVmChecks.connection(s, x, errors);
            }
        }
        CrossVmChecks.components(s, errors);
        // Images a VM takes from a file server must be among the server's files.
        for (VmSpec vm : s.vms()) {
            for (Optional<String> ref : List.of(vm.kernel(), vm.initrd(), vm.firmware())) {
                if (ref.isEmpty() || ref.get().indexOf(':') <= 0) {
                    continue;
                }
                String server = ref.get().substring(0, ref.get().indexOf(':'));
                String image = ref.get().substring(server.length() + 1);
                s.components().stream().filter(c -> c.name().equals(server) && c.kind().equals("file-server")).findFirst().ifPresent(fs -> {
                    java.util.Set<String> served = fs.settings().hasPath("files") ? fs.settings().getConfig("files").root().keySet() : java.util.Set.of();
                    if (!served.contains(image)) {
                        errors.add(new ConfigError(f, vm.line(), "vm '" + vm.name() + "' takes image '" + image + "' from file server '" + server
                                + "', which has no such file", "one of " + new java.util.TreeSet<>(served) + ", or add it to the server's files { }"));
                    }
                });
            }
        }
        for (MemoryRegionSpec m : s.memoryRegions()) {
            m.mappedBy().forEach(x -> known(errors, f, m.line(), x, componentNames, "memory region 'map'"));
        }
        List<ReservedSpec> rs = s.reserved();
        for (int i = 0; i < rs.size(); i++) {
            ReservedSpec a = rs.get(i);
            MemoryRegion ar = new MemoryRegion(a.base(), a.size());
            if (s.board().memory().stream().noneMatch(b -> b.contains(ar))) {
                errors.add(new ConfigError(f, a.line(), "reserved memory '" + a.name() + "' " + ar + " is not inside the RAM of " + s.board().id(),
                        "a range within " + s.board().memory()));
            }
            for (int j = 0; j < i; j++) {
                ReservedSpec b = rs.get(j);
                if (ar.overlaps(new MemoryRegion(b.base(), b.size()))) {
                    errors.add(new ConfigError(f, a.line(), "reserved memory '" + a.name() + "' " + ar + " overlaps '" + b.name() + "' (line " + b.line() + ")",
                            "non-overlapping ranges"));
                }
            }
        }
    }

    private static void known(List<ConfigError> errors, String f, int line, String name, Set<String> names, String where) {
        if (!names.contains(name)) {
            errors.add(new ConfigError(f, line, where + " names unknown component '" + name + "'", "one of " + new java.util.TreeSet<>(names)));
        }
    }

    private static void irqRange(List<ConfigError> errors, String f, int line, String what, int irq, int count, String board) {
        if (irq < 0 || irq >= count) {
            errors.add(new ConfigError(f, line, what + ": IRQ " + irq + " does not exist on " + board, "0.." + (count - 1)));
        }
    }
}
