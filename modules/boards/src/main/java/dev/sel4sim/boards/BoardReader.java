package dev.sel4sim.boards;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Turns one parsed board file into a {@link Board}, checking it on the way. Package-private. */
final class BoardReader {

    private final ConfigNode root;
    private Architecture architecture;
    private int irqCount;
    private List<MemoryRegion> ram = List.of();

    private BoardReader(ConfigNode root) {
        this.root = root;
    }

    static Board read(ConfigNode root) {
        return new BoardReader(root).board();
    }

    private Board board() {
        String id = root.string("id");
        if (!id.matches("[a-z0-9][a-z0-9-]*")) {
            throw root.error("id", "expected lower-case letters, digits and '-', got '" + id + "'");
        }
        String name = root.string("name");
        architecture = root.choice("architecture", Architecture::fromConfigName, "aarch64, aarch32, x86_64");
        irqCount = root.integer("physical-irq-count");
        if (irqCount < 1) {
            throw root.error("physical-irq-count", "expected a positive count");
        }
        Cpu cpu = cpu(root.child("cpu"));
        ram = memory();
        InterruptController ic = interruptController(root.child("interrupt-controller"));
        List<Uart> uarts = uarts();
        Timer timer = timer(root.child("timer"));
        Stage2 stage2 = stage2(root.child("stage2"));
        SmcPolicy smc = smc(root.child("smc"));
        List<PassthroughDevice> devices = passthrough();
        List<String> sources = root.has("sources") ? root.strings("sources") : List.of();
        return new Board(id, name, architecture, cpu, ram, ic, uarts, timer, stage2, smc, devices, irqCount,
                sources);
    }

    private Cpu cpu(ConfigNode n) {
        String model = n.string("model");
        int count = n.integer("count");
        if (count < 1) {
            throw n.error("count", "expected at least 1 core");
        }
        int kernelCores = n.has("kernel-cores") ? n.integer("kernel-cores") : count;
        if (kernelCores < 1 || kernelCores > count) {
            throw n.error("kernel-cores", "expected 1.." + count + " (at most count), got " + kernelCores);
        }
        List<CpuCluster> clusters = new ArrayList<>();
        for (ConfigNode c : n.optObjects("clusters")) {
            int clusterCount = c.integer("count");
            if (clusterCount < 1) {
                throw c.error("count", "expected at least 1 core");
            }
            clusters.add(new CpuCluster(c.string("name"), c.string("model"), clusterCount));
        }
        if (!clusters.isEmpty() && clusters.stream().mapToInt(CpuCluster::count).sum() != count) {
            throw n.error("clusters", "the clusters' counts must add up to count (" + count + ")");
        }
        OptionalInt maxCount = n.optInteger("max-count");
        if (maxCount.isPresent() && maxCount.getAsInt() < count) {
            throw n.error("max-count", "expected at least count (" + count + ")");
        }
        return new Cpu(model, count, kernelCores, n.stringOr("boot-cpu", "cpu@0"), clusters, maxCount,
                n.stringOr("note", ""));
    }

    private List<MemoryRegion> memory() {
        List<ConfigNode> nodes = root.objects("memory");
        if (nodes.isEmpty()) {
            throw root.error("memory", "expected at least one RAM region");
        }
        record Bank(MemoryRegion region, ConfigNode node) {
        }
        List<Bank> banks = new ArrayList<>();
        for (ConfigNode n : nodes) {
            banks.add(new Bank(n.regionHere(), n));
        }
        banks.sort(Comparator.comparingLong(b -> b.region().base()));
        for (int i = 1; i < banks.size(); i++) {
            if (banks.get(i).region().overlaps(banks.get(i - 1).region())) {
                throw banks.get(i).node().error("RAM region " + banks.get(i).region() + " overlaps "
                        + banks.get(i - 1).region() + "; expected disjoint regions");
            }
        }
        return banks.stream().map(Bank::region).toList();
    }

    private InterruptController interruptController(ConfigNode n) {
        String type = n.string("type");
        if (architecture.isArm()) {
            int version = switch (type) {
                case "gicv2" -> 2;
                case "gicv3" -> 3;
                default -> throw n.error("type", "expected gicv2 or gicv3 on an ARM board, got '" + type + "'");
            };
            MemoryRegion dist = device(n, "distributor");
            Optional<MemoryRegion> redist = optDevice(n, "redistributor");
            Optional<MemoryRegion> cpuIf = optDevice(n, "cpu-interface");
            Optional<MemoryRegion> vcpuIf = optDevice(n, "vcpu-interface");
            Optional<MemoryRegion> hypIf = optDevice(n, "hyp-interface");
            if (version == 2) {
                for (String key : List.of("cpu-interface", "vcpu-interface", "hyp-interface")) {
                    if (!n.has(key)) {
                        throw n.error(key, "missing; a GICv2 needs { base = ..., size = ... }");
                    }
                }
                if (redist.isPresent()) {
                    throw n.error("redistributor", "a GICv2 has no redistributor; expected type = gicv3");
                }
            } else if (redist.isEmpty()) {
                throw n.error("redistributor", "missing; a GICv3 needs { base = ..., size = ... }");
            }
            int maintenance = n.integer("maintenance-irq");
            if (maintenance < 16 || maintenance > 31) {
                throw n.error("maintenance-irq", "expected a PPI INTID (16..31; PPI 9 is INTID 25), got "
                        + maintenance);
            }
            OptionalInt lines = n.optInteger("lines");
            if (lines.isPresent() && (lines.getAsInt() < 32 || lines.getAsInt() > 1020)) {
                throw n.error("lines", "expected 32..1020 INTIDs, got " + lines.getAsInt());
            }
            return new Gic(version, dist, redist, cpuIf, vcpuIf, hypIf, maintenance, lines);
        }
        if (!type.equals("apic")) {
            throw n.error("type", "expected apic on an x86 board, got '" + type + "'");
        }
        int ioapicLines = n.integer("ioapic-lines");
        if (ioapicLines != irqCount) {
            throw n.error("ioapic-lines", "expected it to equal physical-irq-count (" + irqCount + ")");
        }
        return new Apic(device(n, "ioapic"), device(n, "lapic"), ioapicLines, n.integer("pic-lines"));
    }

    private MemoryRegion device(ConfigNode n, String key) {
        MemoryRegion region = n.region(key);
        checkNotRam(n, key, region);
        return region;
    }

    private Optional<MemoryRegion> optDevice(ConfigNode n, String key) {
        return n.has(key) ? Optional.of(device(n, key)) : Optional.empty();
    }

    private void checkNotRam(ConfigNode n, String key, MemoryRegion region) {
        for (MemoryRegion bank : ram) {
            if (bank.overlaps(region)) {
                throw n.error(key, "device window " + region + " overlaps RAM " + bank
                        + "; expected a window outside the memory regions");
            }
        }
    }

    private List<Uart> uarts() {
        List<Uart> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<ConfigNode> nodes = root.objects("uarts");
        for (ConfigNode n : nodes) {
            String name = n.string("name");
            if (!names.add(name)) {
                throw n.error("name", "duplicate UART name '" + name + "'");
            }
            UartKind kind = n.choice("kind", UartKind::fromConfigName,
                    "pl011, ns16550a, tegra, cdns, imx, meson, exynos, bcm2835-aux");
            boolean ioPort = n.has("io-port");
            AddressSpace space = ioPort ? AddressSpace.IO_PORT : AddressSpace.MMIO;
            long base = ioPort ? n.number("io-port") : n.number("base");
            long size = n.size("size");
            if (size == 0) {
                throw n.error("size", "expected a size greater than zero");
            }
            if (!ioPort) {
                checkNotRam(n, "base", new MemoryRegion(base, size));
            }
            int irq = irq(n, "irq");
            out.add(new Uart(name, kind, n.stringOr("compatible", kind.configName()), space, base, size, irq,
                    n.bool("console", false)));
        }
        long consoles = out.stream().filter(Uart::console).count();
        if (consoles != 1) {
            throw root.error("uarts", "expected exactly one UART with console = true, found " + consoles);
        }
        return out;
    }

    private int irq(ConfigNode n, String key) {
        int irq = n.integer(key);
        if (architecture.isArm() && irq < 32) {
            throw n.error(key, "expected an SPI INTID (32 + SPI number, e.g. <GIC_SPI 1> is 33), got " + irq);
        }
        if (irq >= irqCount) {
            throw n.error(key, "expected an interrupt number below physical-irq-count (" + irqCount + "), got "
                    + irq);
        }
        return irq;
    }

    private Timer timer(ConfigNode n) {
        String type = n.string("type");
        if (architecture.isArm()) {
            if (!type.equals("generic-timer")) {
                throw n.error("type", "expected generic-timer on an ARM board, got '" + type + "'");
            }
            ConfigNode ids = n.child("intids");
            int secure = ppi(ids, "secure-phys");
            int nonSecure = ppi(ids, "non-secure-phys");
            int virt = ppi(ids, "virtual");
            int hyp = ppi(ids, "hyp");
            long freq = n.number("counter-frequency");
            if (freq == 0) {
                throw n.error("counter-frequency", "expected a frequency in Hz greater than zero");
            }
            return new GenericTimer(secure, nonSecure, virt, hyp, freq);
        }
        if (!type.equals("x86")) {
            throw n.error("type", "expected x86 on an x86 board, got '" + type + "'");
        }
        ConfigNode pit = n.child("pit");
        long port = pit.number("io-port");
        if (port > 0xffff) {
            throw pit.error("io-port", "expected a 16-bit I/O port");
        }
        int pitIrq = irq(pit, "irq");
        MemoryRegion hpet = device(n, "hpet");
        long lapic = n.child("lapic-timer").number("base");
        return new X86Timers((int) port, pitIrq, hpet, lapic);
    }

    private static int ppi(ConfigNode n, String key) {
        int intid = n.integer(key);
        if (intid < 16 || intid > 31) {
            throw n.error(key, "expected a PPI INTID (16..31; PPI n is INTID 16 + n), got " + intid);
        }
        return intid;
    }

    private Stage2 stage2(ConfigNode n) {
        int paBits = n.integer("pa-bits");
        Stage2 derived;
        if (architecture.isArm()) {
            if (paBits < 32 || paBits > 48) {
                throw n.error("pa-bits", "expected 32..48 (seL4 uses 40 or 44 on AArch64), got " + paBits);
            }
            derived = Stage2.arm(paBits);
        } else {
            String kind = n.stringOr("kind", "ept");
            if (!kind.equals("ept")) {
                throw n.error("kind", "expected ept on an x86 board, got '" + kind + "'");
            }
            if (paBits != 48) {
                throw n.error("pa-bits", "expected 48 (4-level EPT guest-physical addresses), got " + paBits);
            }
            derived = Stage2.ept();
        }
        OptionalInt levels = n.optInteger("levels");
        if (levels.isPresent() && levels.getAsInt() != derived.levels()) {
            throw n.error("levels", "expected " + derived.levels() + " for " + paBits + " physical-address bits, got "
                    + levels.getAsInt());
        }
        return derived;
    }

    private SmcPolicy smc(ConfigNode n) {
        SmcMode mode = n.choice("default", SmcMode::fromConfigName, "deny, allow-list, emulate");
        List<SmcFunction> functions = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        for (ConfigNode f : n.optObjects("functions")) {
            long id = f.number("id");
            if (id > 0xffff_ffffL) {
                throw f.error("id", "expected a 32-bit SMC function ID, got " + Sizes.hex(id));
            }
            if (!ids.add(id)) {
                throw f.error("id", "duplicate SMC function ID " + Sizes.hex(id));
            }
            functions.add(new SmcFunction(id, f.string("name"), f.stringOr("note", "")));
        }
        if (mode == SmcMode.ALLOW_LIST && functions.isEmpty()) {
            throw n.error("functions", "an allow-list needs at least one function { id = ..., name = ... }");
        }
        return new SmcPolicy(mode, functions);
    }

    private List<PassthroughDevice> passthrough() {
        List<PassthroughDevice> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode n : root.optObjects("passthrough")) {
            String name = n.string("name");
            if (!names.add(name)) {
                throw n.error("name", "duplicate device name '" + name + "'");
            }
            boolean ioPort = n.has("io-port");
            long base = ioPort ? n.number("io-port") : n.number("base");
            long size = n.size("size");
            if (size == 0) {
                throw n.error("size", "expected a size greater than zero");
            }
            MemoryRegion region = new MemoryRegion(base, size);
            if (!ioPort) {
                checkNotRam(n, "base", region);
            }
            List<Integer> irqs = n.integers("irqs");
            for (int i = 0; i < irqs.size(); i++) {
                int irq = irqs.get(i);
                if ((architecture.isArm() && irq < 32) || irq >= irqCount) {
                    throw n.error("irqs", "element " + i + ": expected " + (architecture.isArm() ? "an SPI INTID 32.."
                            : "an IRQ line 0..") + (irqCount - 1) + ", got " + irq);
                }
            }
            out.add(new PassthroughDevice(name, n.string("compatible"),
                    ioPort ? AddressSpace.IO_PORT : AddressSpace.MMIO, region, irqs));
        }
        return out;
    }
}
