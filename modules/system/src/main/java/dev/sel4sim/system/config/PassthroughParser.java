package dev.sel4sim.system.config;

import com.typesafe.config.Config;
import dev.sel4sim.boards.AddressSpace;
import dev.sel4sim.boards.Board;
import dev.sel4sim.boards.PassthroughDevice;
import dev.sel4sim.boards.Uart;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an x86 VM's camkes-style passthrough lists against its board: each {@code ioports} entry names a
 * board device and gives it its whole port window, each {@code irqs} entry routes that device's interrupt
 * ({@code source}, the board's line) to one of the VM's lines ({@code dest}); {@code pci_devices} can only
 * name PCI functions the board has.
 */
final class PassthroughParser {
    private PassthroughParser() {
    }

    private record BoardDevice(String name, boolean uart, long base, long size, List<Integer> irqs, boolean console) {
    }

    static List<PassthroughSpec> read(String file, List<ConfigError> errors, Config vm, String vmName, Board board) {
        Map<String, BoardDevice> devices = devices(board);
        Map<String, Integer> routed = new HashMap<>();
        Map<String, Integer> routedLine = new HashMap<>();
        for (Reader r : SystemParser.objects(vm, "irqs", file, errors, "vm '" + vmName + "' irq")) {
            r.onlyKeys(Set.of("name", "source", "dest", "level_trig", "active_low"));
            String name = r.string("name", true).orElse("?");
            long source = r.integer("source", true).orElse(-1L);
            long dest = r.integer("dest", true).orElse(-1L);
            BoardDevice d = devices.get(name);
            if (d == null) {
                r.error("name", ": board " + board.id() + " has no device '" + name + "' to route", known(devices));
            } else if (!d.irqs().contains((int) source)) {
                r.error("source", ": " + name + " raises " + (d.irqs().isEmpty() ? "no interrupt" : "line " + d.irqs()) + ", not " + source,
                        d.irqs().isEmpty() ? "drop this entry" : "source = " + d.irqs().getFirst());
            } else if (dest < 0 || dest > 15 || dest == 2) {
                r.error("dest", ": line " + dest, "one of the VM's 8259 lines 0-15 other than 2 (the cascade)");
            } else if (routed.putIfAbsent(name, (int) dest) != null) {
                r.error("name", ": " + name + "'s interrupt is routed twice", "one irqs entry per device");
            } else {
                routedLine.put(name, r.line());
            }
        }
        List<PassthroughSpec> out = new ArrayList<>();
        Set<String> given = new java.util.HashSet<>();
        for (Reader r : SystemParser.objects(vm, "ioports", file, errors, "vm '" + vmName + "' ioports entry")) {
            r.onlyKeys(Set.of("name", "start", "end", "pci_device"));
            String name = r.string("name", true).orElse("?");
            Optional<Long> start = r.integer("start", true);
            Optional<Long> end = r.integer("end", true);
            BoardDevice d = devices.get(name);
            if (d == null) {
                r.error("name", ": board " + board.id() + " has no device '" + name + "' to pass through", known(devices));
                continue;
            }
            if (d.console()) {
                r.error("name", ": " + name + " is the kernel's console on this board", "another device, e.g. "
                        + devices.values().stream().filter(x -> !x.console()).map(BoardDevice::name).findFirst().orElse("none"));
                continue;
            }
            if (start.isEmpty() || end.isEmpty()) {
                continue;
            }
            if (start.get() != d.base() || end.get() != d.base() + d.size() - 1) {
                r.error("start", String.format(": ports 0x%x-0x%x are not %s's window", start.get(), end.get(), name),
                        String.format("start = 0x%x, end = 0x%x (the whole device)", d.base(), d.base() + d.size() - 1));
                continue;
            }
            if (!given.add(name)) {
                r.error("name", ": " + name + " is given twice", "one ioports entry per device");
                continue;
            }
            out.add(new PassthroughSpec(name, d.uart(), (int) d.base(), (int) d.size(), routed.getOrDefault(name, -1), r.line()));
        }
        for (var e : routed.entrySet()) {
            if (!given.contains(e.getKey())) {
                errors.add(new ConfigError(file, routedLine.get(e.getKey()), "vm '" + vmName + "': irqs routes " + e.getKey()
                        + " but no ioports entry gives the VM that device", "an ioports entry for " + e.getKey()));
            }
        }
        for (Reader r : SystemParser.objects(vm, "pci_devices", file, errors, "vm '" + vmName + "' PCI device")) {
            r.error("name", ": board " + board.id() + " has no PCI functions to pass through (its devices: "
                    + String.join(", ", devices.keySet()) + ")", "drop pci_devices, or give the device's ports with ioports");
        }
        return out;
    }

    private static String known(Map<String, BoardDevice> devices) {
        return devices.isEmpty() ? "none: this board has no devices to pass through"
                : "one of " + devices.values().stream().map(BoardDevice::name).collect(Collectors.joining(", "));
    }

    /** The board's port devices the machine can stand for: its UARTs and its CMOS clock. */
    private static Map<String, BoardDevice> devices(Board board) {
        Map<String, BoardDevice> out = new java.util.LinkedHashMap<>();
        for (Uart u : board.uarts()) {
            if (u.space() == AddressSpace.IO_PORT) {
                out.put(u.name(), new BoardDevice(u.name(), true, u.base(), u.size(), List.of((int) u.irq()), u.console()));
            }
        }
        for (PassthroughDevice p : board.passthrough()) {
            if (p.space() == AddressSpace.IO_PORT && p.compatible().contains("mc146818")) {
                out.put(p.name(), new BoardDevice(p.name(), false, p.region().base(), p.region().size(), p.irqs(), false));
            }
        }
        return out;
    }
}
