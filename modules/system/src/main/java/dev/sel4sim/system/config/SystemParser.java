package dev.sel4sim.system.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.sel4sim.boards.Board;
import dev.sel4sim.boards.BoardConfigException;
import dev.sel4sim.boards.Boards;
import dev.sel4sim.kernel.actor.Supervision;
import dev.sel4sim.kernel.sched.Timeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Parses a system file into a {@link SystemSpec}. Every problem found is collected, with the file
 * and line, and reported together; nothing starts from a file with errors. Cross-checks between
 * parts (names, cores, IRQs, memory) are done by {@link SystemChecker}.
 */
public final class SystemParser {
    private static final Set<String> TOP = Set.of("name", "description", "board", "cores", "mcs", "clock", "duration",
            "kernel-reserved", "reserved-memory", "components", "devices", "connections", "memory-regions", "vms");
    private static final Set<String> VM = Set.of("name", "vcpus", "ram", "ram-base", "cpu", "gic", "kernel", "initrd", "bootargs",
            "firmware", "clock", "quantum", "ns-per-instruction", "smc", "virtio", "cross-vm", "timers", "lapic", "ioapic",
            "ioports", "irqs", "pci_devices");
    private static final Set<String> CPU_MODELS = Set.of("cortex-a53", "cortex-a57", "cortex-a72", "max");
    /** What CPUID describes on an x86 VM: a plain 686 without PAE, as camkes-vm's 32-bit guests want. */
    private static final Set<String> X86_CPU_MODELS = Set.of("i686");
    private static final Set<String> COMPONENT = Set.of("name", "kind", "core", "priority", "budget", "period", "supervision", "settings");
    private static final Set<String> DEVICE = Set.of("name", "kind", "irq", "period");
    private static final Set<String> CONNECTION = Set.of("type", "name", "from", "to", "irq", "size", "between");
    private static final Set<String> REGION = Set.of("name", "size", "page-size", "map");
    private static final Set<String> RESERVED = Set.of("name", "base", "size");

    private final Set<String> componentKinds;
    private final Set<String> deviceKinds;

    /** @param componentKinds the component kinds the system can start; @param deviceKinds likewise for devices */
    public SystemParser(Set<String> componentKinds, Set<String> deviceKinds) {
        this.componentKinds = Set.copyOf(componentKinds);
        this.deviceKinds = Set.copyOf(deviceKinds);
    }

    public SystemSpec parseFile(Path file) {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new SystemConfigException(List.of(new ConfigError(name, 0, "no such system file", "a path to a .conf file, e.g. conf/systems/demo.conf")));
        }
        try {
            return parse(Files.readString(file), name);
        } catch (java.io.IOException e) {
            throw new SystemConfigException(List.of(new ConfigError(name, 0, "cannot read: " + e.getMessage(), "a readable file")));
        }
    }

    /**
     * Parses HOCON text and cross-checks it; {@code file} names it in errors. Throws
     * {@link SystemConfigException} with every error found by both passes.
     */
    public SystemSpec parse(String text, String file) {
        List<ConfigError> errors = new ArrayList<>();
        SystemSpec spec = parse(text, file, errors);
        if (spec != null) {
            SystemChecker.collect(spec, errors);
        }
        if (!errors.isEmpty() || spec == null) {
            errors.sort(java.util.Comparator.comparingInt(ConfigError::line));
            throw new SystemConfigException(errors);
        }
        return spec;
    }

    /** Parses into a spec (null when it cannot be formed), adding problems to {@code errors}. */
    SystemSpec parse(String text, String file, List<ConfigError> errors) {
        Config root;
        try {
            root = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(file).setSyntax(ConfigSyntax.CONF)).resolve();
        } catch (ConfigException e) {
            int line = e.origin() != null ? e.origin().lineNumber() : 0;
            String msg = e.getMessage().replaceFirst("^" + java.util.regex.Pattern.quote(file) + "(: ?\\d+)?: ", "");
            throw new SystemConfigException(List.of(new ConfigError(file, line, "HOCON syntax: " + msg, "valid HOCON")));
        }
        if (!root.hasPath("system")) {
            throw new SystemConfigException(List.of(new ConfigError(file, 1, "no 'system { ... }' block", "the whole system inside system { }")));
        }
        Config sys;
        try {
            sys = root.getConfig("system");
        } catch (ConfigException e) {
            throw new SystemConfigException(List.of(new ConfigError(file, line(root.getValue("system"), 1), "'system' is not an object", "system { ... }")));
        }
        Reader r = new Reader(file, errors, sys, line(root.getValue("system"), 1), "system");
        r.onlyKeys(TOP);
        String name = r.string("name", true).orElse("unnamed");
        String description = r.string("description", false).orElse("");
        Board board = null;
        Optional<String> boardId = r.string("board", true);
        if (boardId.isPresent()) {
            try {
                board = Boards.load(boardId.get());
            } catch (IllegalArgumentException e) {
                r.error("board", ": unknown board '" + boardId.get() + "'", "one of " + Boards.ids());
            } catch (BoardConfigException e) {
                r.error("board", ": board '" + boardId.get() + "' has a broken description: " + e.getMessage(), "a valid board file");
            }
        }
        int cores = board == null ? 1 : board.cpu().count();
        if (r.has("cores")) {
            long c = r.integer("cores", false).orElse((long) cores);
            int max = board == null ? Integer.MAX_VALUE : board.cpu().maxCount().orElse(board.cpu().count());
            if (c < 1 || c > max) {
                r.error("cores", ": cores = " + c + " but board " + boardId.orElse("?") + " has " + max, "1.." + max);
            } else {
                cores = (int) c;
            }
        }
        boolean mcs = r.bool("mcs").orElse(false);
        Timeline.Mode clock = Timeline.Mode.PACED;
        Optional<String> clockName = r.string("clock", false);
        if (clockName.isPresent()) {
            switch (clockName.get().toLowerCase(Locale.ROOT)) {
                case "paced" -> clock = Timeline.Mode.PACED;
                case "virtual" -> clock = Timeline.Mode.VIRTUAL;
                default -> r.error("clock", ": unknown clock '" + clockName.get() + "'", "paced (follows the host clock) or virtual (jumps to the next event)");
            }
        }
        long duration = r.durationNs("duration", false).orElse(0L);
        long kernelReserved = r.size("kernel-reserved", false).orElse(4L << 20);

        List<ReservedSpec> reserved = new ArrayList<>();
        for (Reader e : objects(sys, "reserved-memory", file, errors, "reserved-memory")) {
            e.onlyKeys(RESERVED);
            String n = e.string("name", false).orElse("reserved@" + e.line());
            Optional<Long> base = e.integer("base", true);
            Optional<Long> size = e.size("size", true);
            if (base.isPresent() && size.isPresent()) {
                reserved.add(new ReservedSpec(n, base.get(), size.get(), e.line()));
            }
        }

        List<ComponentSpec> components = new ArrayList<>();
        for (Reader c : objects(sys, "components", file, errors, "component")) {
            String n = c.string("name", true).orElse(null);
            Reader cr = new Reader(file, errors, c.config(), c.line(), "component '" + (n == null ? "?" : n) + "'");
            cr.onlyKeys(COMPONENT);
            String kind = cr.string("kind", true).orElse(null);
            if (kind != null && !componentKinds.contains(kind)) {
                cr.error("kind", ": unknown kind '" + kind + "'", "one of " + new java.util.TreeSet<>(componentKinds));
            }
            int core = cr.integer("core", false).orElse(0L).intValue();
            long prio = cr.integer("priority", true).orElse(0L);
            if (cr.has("priority") && (prio < 0 || prio > 255)) {
                cr.error("priority", ": priority " + prio + " is out of range", "0..255 (seL4 has 256 priorities)");
            }
            long budget = cr.durationNs("budget", false).orElse(0L);
            long period = cr.durationNs("period", false).orElse(0L);
            if ((budget > 0) != (period > 0)) {
                cr.error(budget > 0 ? "budget" : "period", ": budget and period go together", "both budget and period (MCS), or neither");
            } else if (budget > period) {
                cr.error("budget", ": budget " + budget / 1000 + " us exceeds period " + period / 1000 + " us", "budget <= period");
            }
            if (budget > 0 && !mcs) {
                cr.error("budget", ": a budget needs the MCS kernel", "mcs = true at the system level");
            }
            Supervision sup = Supervision.RESTART;
            Optional<String> s = cr.string("supervision", false);
            if (s.isPresent()) {
                try {
                    sup = Supervision.valueOf(s.get().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    cr.error("supervision", ": unknown supervision '" + s.get() + "'", "restart, stop or escalate");
                }
            }
            Config settings = c.config().hasPath("settings") ? c.config().getConfig("settings") : ConfigFactory.empty();
            if (n != null && kind != null) {
                components.add(new ComponentSpec(n, kind, core, (int) prio, budget, period, sup, settings, c.line()));
            }
        }

        List<DeviceSpec> devices = new ArrayList<>();
        for (Reader d : objects(sys, "devices", file, errors, "device")) {
            String n = d.string("name", true).orElse(null);
            Reader dr = new Reader(file, errors, d.config(), d.line(), "device '" + (n == null ? "?" : n) + "'");
            dr.onlyKeys(DEVICE);
            String kind = dr.string("kind", true).orElse(null);
            if (kind != null && !deviceKinds.contains(kind)) {
                dr.error("kind", ": unknown device kind '" + kind + "'", "one of " + new java.util.TreeSet<>(deviceKinds));
            }
            long irq = dr.integer("irq", true).orElse(-1L);
            long period = dr.durationNs("period", true).orElse(0L);
            if (dr.has("period") && period <= 0) {
                dr.error("period", ": period must be positive", "a duration such as 100ms");
            }
            if (n != null && kind != null) {
                devices.add(new DeviceSpec(n, kind, (int) irq, period, d.line()));
            }
        }

        List<ConnectionSpec> connections = new ArrayList<>();
        for (Reader c : objects(sys, "connections", file, errors, "connection")) {
            c.onlyKeys(CONNECTION);
            String type = c.string("type", true).orElse("");
            String cname = c.string("name", false).orElse(null);
            switch (type) {
                case "rpc" -> {
                    String to = c.string("to", true).orElse("?");
                    connections.add(new ConnectionSpec.Rpc(cname == null ? to : cname, c.names("from", true), to, c.line()));
                }
                case "notification" -> {
                    String to = c.string("to", true).orElse("?");
                    connections.add(new ConnectionSpec.Notify(cname == null ? to + ".ntfn" : cname, c.names("from", true), to, c.line()));
                }
                case "irq" -> {
                    String to = c.string("to", true).orElse("?");
                    long irq = c.integer("irq", true).orElse(-1L);
                    connections.add(new ConnectionSpec.Irq(cname == null ? "irq" + irq : cname, (int) irq, to, c.line()));
                }
                case "shared-data" -> {
                    long size = c.size("size", true).orElse(4096L);
                    connections.add(new ConnectionSpec.SharedData(cname == null ? "dataport@" + c.line() : cname, size, c.names("between", true), c.line()));
                }
                case "console" -> {
                    String to = c.string("to", true).orElse("?");
                    connections.add(new ConnectionSpec.Console(cname == null ? "console@" + c.line() : cname, c.names("from", true), to, c.line()));
                }
                case "timer" -> {
                    String to = c.string("to", true).orElse("?");
                    connections.add(new ConnectionSpec.Timer(cname == null ? "time" : cname, c.names("from", true), to, c.line()));
                }
                case "ethernet" -> {
                    String to = c.string("to", true).orElse("?");
                    connections.add(new ConnectionSpec.Ethernet(cname == null ? "ethernet@" + c.line() : cname, c.names("from", true), to, c.line()));
                }
                case "cross-vm" -> {
                    String from = c.string("from", true).orElse("");
                    String to = c.string("to", true).orElse("?");
                    int dot = from.indexOf('.');
                    if (c.has("from") && (dot <= 0 || dot == from.length() - 1)) {
                        c.error("from", ": cross-vm 'from' = \"" + from + "\"", "VM.CONNECTOR, a connector of the VM's cross-vm list (e.g. vm0.src)");
                    } else if (dot > 0) {
                        String connector = from.substring(dot + 1);
                        connections.add(new ConnectionSpec.CrossVm(cname == null ? connector : cname, from.substring(0, dot), connector, to, c.line()));
                    }
                }
                case "" -> { }
                default -> c.error("type", ": unknown connection type '" + type + "'",
                        "rpc, notification, irq, shared-data, console (VM consoles to a serial server), ethernet (network links), timer (clients of a time-server) or cross-vm");
            }
        }

        List<VmSpec> vms = new ArrayList<>();
        java.util.Map<String, String> givenTo = new java.util.HashMap<>();
        for (Reader v : objects(sys, "vms", file, errors, "vm")) {
            String n = v.string("name", true).orElse("vm@" + v.line());
            Reader vr = new Reader(file, errors, v.config(), v.line(), "vm '" + n + "'");
            vr.onlyKeys(VM);
            boolean x86 = board != null && !board.architecture().isArm();
            long vcpus = vr.integer("vcpus", false).orElse(1L);
            if (vcpus < 1 || vcpus > 8) {
                vr.error("vcpus", ": " + vcpus + " VCPUs", "1 to 8");
            } else if (x86 && vcpus != 1) {
                vr.error("vcpus", ": " + vcpus + " VCPUs on an x86 VM", "vcpus = 1 (x86 VMs are uniprocessor PCs here)");
            }
            long ram = vr.size("ram", false).orElse(256L << 20);
            if (ram < (16L << 20) || (ram & 0x1f_ffff) != 0) {
                vr.error("ram", ": " + ram + " bytes of RAM", "at least 16M, a multiple of 2M (e.g. 256M)");
            } else if (x86 && ram > (3L << 30)) {
                vr.error("ram", ": " + (ram >> 20) + " MiB of RAM on an x86 VM", "at most 3G (the PC's device window lies above)");
            }
            Optional<Long> ramBase = vr.integer("ram-base", false);
            if (x86 && ramBase.isPresent()) {
                vr.error("ram-base", ": an x86 VM's RAM starts at 0 (a PC with its 640 KiB and 1 MiB holes and an e820 map)",
                        "drop ram-base");
            }
            String cpu = vr.string("cpu", false).orElse(x86 ? "i686" : "cortex-a53");
            Set<String> models = x86 ? X86_CPU_MODELS : CPU_MODELS;
            if (!models.contains(cpu)) {
                vr.error("cpu", ": unknown " + (x86 ? "x86 " : "") + "CPU model '" + cpu + "'", "one of " + new java.util.TreeSet<>(models));
            }
            long gic = vr.integer("gic", false).orElse(2L);
            if (x86 && vr.has("gic")) {
                vr.error("gic", ": an x86 VM has no GIC (its interrupts go through the PC's 8259 PIC pair)", "drop gic");
            } else if (gic != 2 && gic != 3) {
                vr.error("gic", ": GIC version " + gic, "2 or 3");
            }
            Optional<String> kernel = vr.string("kernel", false);
            Optional<String> firmware = vr.string("firmware", false);
            if (x86 && firmware.isPresent()) {
                vr.error("firmware", ": an x86 VM boots its kernel directly (no BIOS is modelled)",
                        "kernel = \"guest:x86/bzImage\" (Linux) or a Multiboot kernel");
            } else if (kernel.isEmpty() && firmware.isEmpty()) {
                vr.error("name", ": vm '" + n + "' has neither a kernel nor a firmware image",
                        x86 ? "kernel = \"guest:x86/bzImage\" (Linux) or a Multiboot kernel"
                                : "kernel = \"guest:arm64/Image\" (Linux) or firmware = \"guest:arm64/u-boot.bin\"");
            }
            if (x86 && vr.has("smc")) {
                vr.error("smc", ": x86 has no SMC", "drop smc");
            }
            Optional<String> vmClock = vr.string("clock", false);
            if (vmClock.isPresent() && !Set.of("deterministic", "paced").contains(vmClock.get())) {
                vr.error("clock", ": unknown VM clock '" + vmClock.get() + "'",
                        "deterministic (time from executed instructions) or paced (host time)");
            }
            Optional<SmcSpec> smc = Optional.empty();
            if (vr.has("smc") && !x86) {
                smc = smc(file, errors, vr, n);
            }
            List<VirtioDeviceSpec> virtio = virtio(file, errors, v.config(), n, x86);
            X86Devices x86Devices = x86 ? x86Devices(vr, PassthroughParser.read(file, errors, v.config(), n, board)) : X86Devices.DEFAULT;
            List<CrossVmConnectorSpec> crossVm = CrossVmParser.connectors(file, errors, v.config(), n, ramBase.orElse(
                    board == null ? 0L : board.memory().getFirst().base()), ram, x86);
            if (x86) {
                X86Checks.machine(file, errors, v.line(), n, ram, x86Devices, virtio, crossVm);
            }
            if (!x86) {
                for (String k : List.of("timers", "lapic", "ioapic", "ioports", "irqs", "pci_devices")) {
                    if (vr.has(k)) {
                        vr.error(k, ": '" + k + "' is an x86 VM's setting", "drop it (an ARM VM has the generic timer and its vGIC)");
                    }
                }
            }
            long quantum = vr.integer("quantum", false).orElse(200_000L);
            long nsPerInsn = vr.integer("ns-per-instruction", false).orElse(1L);
            for (PassthroughSpec p : x86Devices.passthrough()) {
                String other = givenTo.putIfAbsent(p.device(), n);
                if (other != null) {
                    errors.add(new ConfigError(file, p.line(), "vm '" + n + "': board device " + p.device() + " is already given to vm '"
                            + other + "'", "a board device goes to one VM only"));
                }
            }
            vms.add(new VmSpec(n, (int) vcpus, ram, ramBase, cpu, (int) gic, kernel, vr.string("initrd", false),
                    vr.string("bootargs", false).orElse(""), firmware, vmClock, quantum, nsPerInsn, smc, virtio, crossVm, x86Devices, v.line()));
        }

        List<MemoryRegionSpec> regions = new ArrayList<>();
        for (Reader m : objects(sys, "memory-regions", file, errors, "memory region")) {
            m.onlyKeys(REGION);
            String n = m.string("name", true).orElse("?");
            long size = m.size("size", true).orElse(0L);
            long page = m.size("page-size", false).orElse(4096L);
            if (page != 4096 && page != (2L << 20) && page != (1L << 30)) {
                m.error("page-size", ": page size " + page + " is not a frame size", "4K, 2M or 1G");
            } else if (size % page != 0) {
                m.error("size", ": memory region '" + n + "' size " + size + " is not a multiple of its page size " + page, "a multiple of the page size");
            }
            regions.add(new MemoryRegionSpec(n, size, page, m.names("map", false), m.line()));
        }

        if (board == null) {
            return null;
        }
        return new SystemSpec(file, name, description, board, cores, mcs, clock, duration, kernelReserved, reserved,
                components, devices, connections, regions, vms);
    }

    /** An x86 VM's timers and interrupt controllers: {@code timers = [pit, hpet, lapic]}, {@code lapic}, {@code ioapic}. */
    private static X86Devices x86Devices(Reader vr, List<PassthroughSpec> passthrough) {
        List<String> timers = vr.config().hasPath("timers") ? vr.names("timers", false) : List.of("pit");
        for (String t : timers) {
            if (!Set.of("pit", "hpet", "lapic").contains(t)) {
                vr.error("timers", ": unknown x86 timer '" + t + "'", "any of pit, hpet, lapic (camkes-vm's use_pit, use_hpet, use_lapic)");
            }
        }
        boolean lapicTimer = timers.contains("lapic");
        boolean lapic = vr.bool("lapic").orElse(lapicTimer);
        boolean ioapic = vr.bool("ioapic").orElse(false);
        if (lapicTimer && !lapic) {
            vr.error("lapic", ": the local APIC timer is in timers but lapic = false", "lapic = true, or drop lapic from timers");
        }
        if (ioapic && !lapic) {
            vr.error("ioapic", ": an IOAPIC delivers to a local APIC", "lapic = true as well, or ioapic = false");
        }
        return new X86Devices(timers.contains("pit"), timers.contains("hpet"), lapicTimer, lapic, ioapic, passthrough);
    }

    private static final java.util.regex.Pattern MAC = java.util.regex.Pattern.compile("([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}");

    private static List<VirtioDeviceSpec> virtio(String file, List<ConfigError> errors, Config vm, String vmName, boolean x86) {
        List<VirtioDeviceSpec> out = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (Reader d : objects(vm, "virtio", file, errors, "vm '" + vmName + "' virtio device")) {
            d.onlyKeys(x86 ? Set.of("name", "type", "mac", "legacy", "image", "read-only", "write-through", "transport", "address", "irq")
                    : Set.of("name", "type", "mac", "legacy", "image", "read-only", "write-through"));
            String name = d.string("name", true).orElse("?");
            if (!name.matches("[A-Za-z0-9_-]+")) {
                d.error("name", ": virtio device name '" + name + "'", "letters, digits, '-' and '_' (it is referred to as " + vmName + ".NAME)");
            } else if (!names.add(name)) {
                d.error("name", ": vm '" + vmName + "' has two virtio devices named '" + name + "'", "a different name for each");
            }
            String type = d.string("type", true).orElse("");
            if (!Set.of("console", "net", "blk").contains(type)) {
                d.error("type", ": unknown virtio device type '" + type + "'",
                        "console (virtio-console, /dev/hvc0), net (virtio-net, eth0) or blk (virtio-blk, /dev/vda)");
            }
            Optional<String> mac = d.string("mac", false);
            if (mac.isPresent() && !type.equals("net")) {
                d.error("mac", ": a MAC address on a " + type + " device", "mac only on type = net");
            } else if (mac.isPresent() && !MAC.matcher(mac.get()).matches()) {
                d.error("mac", ": MAC address '" + mac.get() + "'", "six hex pairs such as \"52:54:00:12:34:56\"");
            }
            boolean legacy = d.bool("legacy").orElse(false);
            Optional<String> image = d.string("image", false);
            Optional<Boolean> readOnly = d.bool("read-only");
            Optional<Boolean> writeThrough = d.bool("write-through");
            boolean blk = type.equals("blk");
            if (blk && image.isEmpty()) {
                d.error(null, ": virtio-blk device '" + name + "' has no image",
                        "image = \"guest:arm64/disk.ext2\" (or a path relative to the system file, or SERVER:NAME)");
            } else if (blk && image.get().isBlank()) {
                d.error("image", ": virtio-blk device '" + name + "' has an empty image", "a disk image reference such as \"guest:arm64/disk.ext2\"");
            }
            for (var opt : List.of(java.util.Map.entry("image", image.isPresent()), java.util.Map.entry("read-only", readOnly.isPresent()),
                    java.util.Map.entry("write-through", writeThrough.isPresent()))) {
                if (opt.getValue() && (type.equals("console") || type.equals("net"))) {
                    d.error(opt.getKey(), ": '" + opt.getKey() + "' on a " + type + " device", opt.getKey() + " only on type = blk");
                }
            }
            if (readOnly.orElse(false) && writeThrough.orElse(false)) {
                d.error("write-through", ": virtio-blk device '" + name + "' is both read-only and write-through",
                        "one of them: read-only = true (no writes), or write-through = true (writes go to the image file)");
            }
            String transport = x86 ? d.string("transport", false).orElse("pci") : "mmio";
            Optional<Long> address = x86 ? d.integer("address", false) : Optional.empty();
            Optional<Long> irq = x86 ? d.integer("irq", false) : Optional.empty();
            if (x86) {
                if (!Set.of("pci", "mmio").contains(transport)) {
                    d.error("transport", ": unknown virtio transport '" + transport + "'",
                            "pci (a legacy virtio-pci function Linux finds by itself) or mmio (a window at a fixed address, with address and irq)");
                } else if (transport.equals("mmio") && (address.isEmpty() || irq.isEmpty())) {
                    d.error(address.isEmpty() ? "transport" : "irq", ": a virtio-mmio device on x86 needs its address and interrupt line",
                            "address = \"0xfeb00000\", irq = 5 (the guest is told where to look)");
                } else if (transport.equals("pci") && address.isPresent()) {
                    d.error("address", ": a virtio-pci device's registers are where the guest puts its BAR", "drop address");
                }
                if (irq.isPresent() && (irq.get() < 1 || irq.get() > 23 || Set.of(2L, 4L, 8L).contains(irq.get()))) {
                    d.error("irq", ": interrupt line " + irq.get(), "1 to 23 (an IOAPIC input; 1-15 also reach the 8259), not 2, 4 or 8 (the PC's own)");
                }
            }
            out.add(new VirtioDeviceSpec(name, type, mac, legacy, blk ? image : Optional.empty(), readOnly.orElse(false),
                    writeThrough.orElse(false), transport, address, irq.map(Long::intValue), d.line()));
        }
        if (out.size() > 32) {
            errors.add(new ConfigError(file, out.get(32).line(), "vm '" + vmName + "' has " + out.size() + " virtio devices", "at most 32"));
        }
        return out;
    }

    private static Optional<SmcSpec> smc(String file, List<ConfigError> errors, Reader vm, String vmName) {
        Config c;
        try {
            c = vm.config().getConfig("smc");
        } catch (ConfigException e) {
            vm.error("smc", ": 'smc' must be an object", "smc { policy = deny | emulate | allow, calls = [ { id = \"0x...\", x0 = 0 } ] }");
            return Optional.empty();
        }
        Reader r = new Reader(file, errors, c, vm.lineOf("smc"), "vm '" + vmName + "' smc");
        r.onlyKeys(Set.of("policy", "calls"));
        String policy = r.string("policy", true).orElse("deny");
        if (!Set.of("deny", "emulate", "allow").contains(policy)) {
            r.error("policy", ": unknown SMC policy '" + policy + "'",
                    "deny (NOT_SUPPORTED for every SMC), emulate (listed IDs get fixed results) or allow (listed IDs reach the board firmware)");
        }
        List<SmcSpec.Call> calls = new ArrayList<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (Reader call : objects(c, "calls", file, errors, "SMC call")) {
            call.onlyKeys(Set.of("id", "x0", "x1", "x2", "x3"));
            Optional<Long> id = call.integer("id", true);
            if (id.isEmpty()) {
                continue;
            }
            if (id.get() < 0 || id.get() > 0xffff_ffffL) {
                call.error("id", ": SMC function ID " + id.get() + " is not 32 bits", "an SMCCC function ID such as \"0xc2000006\"");
                continue;
            }
            if (!seen.add(id.get())) {
                call.error("id", String.format(": SMC function ID 0x%08x is listed twice", id.get()), "each ID once");
            }
            Optional<long[]> results = Optional.empty();
            if (call.has("x0")) {
                long[] x = new long[4];
                for (int i = 0; i < 4; i++) {
                    x[i] = call.integer("x" + i, false).orElse(0L);
                }
                results = Optional.of(x);
            } else if ("emulate".equals(policy)) {
                call.error("id", String.format(": emulated SMC 0x%08x has no result", id.get()), "x0 = <value> (and x1-x3 if needed)");
            }
            calls.add(new SmcSpec.Call(id.get(), results, call.line()));
        }
        return Optional.of(new SmcSpec(policy, calls, r.line()));
    }

    static List<Reader> objects(Config sys, String key, String file, List<ConfigError> errors, String what) {
        List<Reader> out = new ArrayList<>();
        if (!sys.hasPath(key)) {
            return out;
        }
        ConfigValue v = sys.getValue(key);
        if (v.valueType() != ConfigValueType.LIST) {
            errors.add(new ConfigError(file, line(v, 0), "'" + key + "' must be a list", key + " = [ { ... }, { ... } ]"));
            return out;
        }
        for (ConfigValue item : (ConfigList) v) {
            if (item instanceof ConfigObject o) {
                out.add(new Reader(file, errors, o.toConfig(), line(o, line(v, 0)), what));
            } else {
                errors.add(new ConfigError(file, line(item, line(v, 0)), "an entry of '" + key + "' is not an object", "{ name = ..., ... }"));
            }
        }
        return out;
    }

    private static int line(ConfigValue v, int dflt) {
        return v.origin() != null && v.origin().lineNumber() > 0 ? v.origin().lineNumber() : dflt;
    }
}
