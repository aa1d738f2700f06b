package dev.sel4sim.system.assembly;

import dev.sel4sim.kernel.Arch;
import dev.sel4sim.kernel.Kernel;
import dev.sel4sim.kernel.KernelException;
import dev.sel4sim.kernel.Sizes;
import dev.sel4sim.kernel.boot.CSpaceView;
import dev.sel4sim.kernel.boot.Loader;
import dev.sel4sim.kernel.cap.Rights;
import dev.sel4sim.kernel.objects.Endpoint;
import dev.sel4sim.kernel.objects.IrqHandler;
import dev.sel4sim.kernel.objects.Notification;
import dev.sel4sim.kernel.objects.ObjectType;
import dev.sel4sim.kernel.objects.Untyped;
import dev.sel4sim.kernel.sched.Timeline;
import dev.sel4sim.servers.Wiring;
import dev.sel4sim.system.config.ComponentSpec;
import dev.sel4sim.system.config.ConfigError;
import dev.sel4sim.system.config.ConnectionSpec;
import dev.sel4sim.system.config.MemoryRegionSpec;
import dev.sel4sim.system.config.SystemConfigException;
import dev.sel4sim.system.config.SystemSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a checked system description into kernel objects and a capability distribution, as the
 * capDL loader or the Microkit tool would before the system boots: boot untypeds from the board's
 * RAM, memory regions each carved from a single untyped, then per component a TCB, a CNode and the
 * capabilities its connections give it.
 */
public final class SystemBuilder {
    /** Slots in each component's root CNode (2^8). */
    public static final int CNODE_RADIX = 8;

    private SystemBuilder() {
    }

    public static BuiltSystem build(SystemSpec spec, Timeline timeline) {
        var board = spec.board();
        Kernel kernel = new Kernel(Arch.of(board.architecture().configName()), spec.mcs(), board.stage2().paBits(),
                board.physicalIrqCount(), timeline);
        List<UntypedLayout.Block> blocks = UntypedLayout.compute(board.memory(), spec.kernelReserved(), spec.reserved());
        List<Untyped> untypeds = new ArrayList<>();
        for (UntypedLayout.Block b : blocks) {
            untypeds.add(kernel.addUntyped(b.name(), b.paddr(), b.sizeBits(), false));
        }
        List<ConfigError> errors = new ArrayList<>();
        List<String> placements = new ArrayList<>();
        Map<String, List<String>> mapped = new HashMap<>();
        List<MemoryRegionSpec> regions = new ArrayList<>(spec.memoryRegions());
        // A VM's RAM is frames carved from untyped memory, as a camkes-vm VMM allocates it: a VM
        // that does not fit fails here, with the untyped sizes, before anything runs.
        for (dev.sel4sim.system.config.VmSpec vm : spec.vms()) {
            regions.add(new MemoryRegionSpec(vm.name() + ".ram", vm.ramSize(), 2L << 20, List.of("vmm-" + vm.name()), vm.line()));
        }
        for (MemoryRegionSpec m : regions) {
            String placed = placeRegion(kernel, untypeds, m, spec.file(), errors);
            if (placed != null) {
                placements.add(placed);
                for (String c : m.mappedBy()) {
                    mapped.computeIfAbsent(c, k -> new ArrayList<>()).add(m.name() + " (" + Sizes.human(m.size()) + ")");
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new SystemConfigException(errors);
        }
        // Small objects come from the smallest untypeds first, leaving big blocks whole.
        List<Untyped> pool = untypeds.stream().sorted(Comparator.comparingLong(Untyped::freeBytes)).toList();
        Loader loader;
        try {
            loader = new Loader(kernel, pool, 12);
        } catch (KernelException e) {
            throw new SystemConfigException(List.of(new ConfigError(spec.file(), 1, "no memory left for the loader: " + e.getMessage(), "less reserved memory")));
        }
        Map<String, CSpaceView> views = new LinkedHashMap<>();
        Map<String, Map<String, Long>> caps = new HashMap<>();
        Map<String, Map<String, Map<Long, String>>> clients = new HashMap<>();
        for (ComponentSpec c : spec.components()) {
            try {
                CSpaceView v = loader.thread(c.name(), CNODE_RADIX, c.priority(), c.core());
                if (c.hasBudget()) {
                    loader.schedContext(v, c.budgetNs(), c.periodNs());
                }
                views.put(c.name(), v);
                caps.put(c.name(), new LinkedHashMap<>());
                // Slot 1 of every component's CSpace is its own TCB (to bind a notification to itself).
                caps.get(c.name()).put("self.tcb", 1L);
                clients.put(c.name(), new HashMap<>());
            } catch (KernelException e) {
                errors.add(new ConfigError(spec.file(), c.line(), "component '" + c.name() + "': " + e.getMessage(), "fewer objects or more untyped memory"));
            }
        }
        if (!errors.isEmpty()) {
            throw new SystemConfigException(errors);
        }
        Map<String, Map<String, java.lang.foreign.MemorySegment>> dataports = new HashMap<>();
        CrossVmLinks crossVm = CrossVmLinks.build(loader, spec, views, caps, dataports, errors);
        for (ConnectionSpec conn : spec.connections()) {
            try {
                connect(loader, conn, views, caps, clients);
            } catch (KernelException | IllegalStateException e) {
                errors.add(new ConfigError(spec.file(), conn.line(), "connection '" + conn.name() + "': " + e.getMessage(), "a connection the kernel can build"));
            }
        }
        if (!errors.isEmpty()) {
            throw new SystemConfigException(errors);
        }
        Map<String, PlannedComponent> planned = new LinkedHashMap<>();
        for (ComponentSpec c : spec.components()) {
            planned.put(c.name(), new PlannedComponent(c, views.get(c.name()), new Wiring(caps.get(c.name()), clients.get(c.name()),
                    dataports.getOrDefault(c.name(), Map.of())),
                    mapped.getOrDefault(c.name(), List.of())));
        }
        return new BuiltSystem(spec, kernel, loader, planned, blocks, placements, crossVm);
    }

    private static void connect(Loader loader, ConnectionSpec conn, Map<String, CSpaceView> views,
                                Map<String, Map<String, Long>> caps, Map<String, Map<String, Map<Long, String>>> clients) {
        switch (conn) {
            case ConnectionSpec.Rpc r -> {
                Endpoint ep = loader.endpoint(r.name() + ".ep");
                caps.get(r.to()).put(r.name(), (long) loader.give(views.get(r.to()), ep, Rights.RW, 0));
                Map<Long, String> byBadge = new HashMap<>();
                long badge = 1;
                for (String from : r.from()) {
                    // Write to send, GrantReply so the server can answer the Call.
                    caps.get(from).put(r.name(), (long) loader.give(views.get(from), ep, new Rights(false, true, false, true), badge));
                    byBadge.put(badge++, from);
                }
                clients.get(r.to()).put(r.name(), byBadge);
            }
            case ConnectionSpec.Notify n -> {
                Notification nt = loader.notification(n.name());
                caps.get(n.to()).put(n.name(), (long) loader.give(views.get(n.to()), nt, Rights.READ, 0));
                Map<Long, String> byBadge = new HashMap<>();
                int bit = 0;
                for (String from : n.from()) {
                    long badge = 1L << bit++;
                    caps.get(from).put(n.name(), (long) loader.give(views.get(from), nt, Rights.WRITE, badge));
                    byBadge.put(badge, from);
                }
                clients.get(n.to()).put(n.name(), byBadge);
            }
            case ConnectionSpec.Irq i -> {
                Notification nt = loader.notification(i.name());
                IrqHandler h = loader.irq(i.irq(), nt, 1);
                caps.get(i.to()).put(i.name(), (long) loader.give(views.get(i.to()), nt, Rights.READ, 0));
                caps.get(i.to()).put(i.name() + ".handler", (long) loader.give(views.get(i.to()), h, Rights.ALL, 0));
            }
            case ConnectionSpec.SharedData d -> {
                long frames = d.size() / 4096;
                var first = loader.frames(d.name(), (int) frames);
                for (String c : d.between()) {
                    // One cap per dataport names its first frame; the rest follow contiguously.
                    caps.get(c).put(d.name(), (long) loader.give(views.get(c), first, Rights.RW, 0));
                }
            }
            // Consoles and Ethernet links are streams cabled by the assembly (ConsoleWiring,
            // NetworkWiring) along these connections; the kernel model holds no objects for them yet.
            case ConnectionSpec.Timer t -> {
                // An RPC endpoint as for 'rpc', and per client a notification the server signals.
                Endpoint ep = loader.endpoint(t.name() + ".ep");
                caps.get(t.to()).put(t.name(), (long) loader.give(views.get(t.to()), ep, Rights.RW, 0));
                Map<Long, String> byBadge = new HashMap<>();
                long badge = 1;
                for (String from : t.from()) {
                    caps.get(from).put(t.name(), (long) loader.give(views.get(from), ep, new Rights(false, true, false, true), badge));
                    Notification done = loader.notification(t.name() + "." + from + ".done");
                    caps.get(t.to()).put(t.name() + "." + from, (long) loader.give(views.get(t.to()), done, Rights.WRITE, 0));
                    caps.get(from).put(t.name() + ".done", (long) loader.give(views.get(from), done, Rights.READ, 0));
                    byBadge.put(badge++, from);
                }
                clients.get(t.to()).put(t.name(), byBadge);
            }
            case ConnectionSpec.Console c -> { }
            case ConnectionSpec.Ethernet e -> { }
            case ConnectionSpec.CrossVm x -> {
                // Built by CrossVmLinks, which also needs the VMs.
            }
        }
    }

    private static String placeRegion(Kernel kernel, List<Untyped> untypeds, MemoryRegionSpec m, String file, List<ConfigError> errors) {
        Untyped best = null;
        for (Untyped u : untypeds) {
            long start = alignUp(u.freeOffset(), m.pageSize());
            if (start + m.size() <= u.size() && (best == null || u.size() < best.size())) {
                best = u;
            }
        }
        if (best == null) {
            Untyped largest = untypeds.stream().max(Comparator.comparingLong(Untyped::freeBytes)).orElse(null);
            long total = untypeds.stream().mapToLong(Untyped::freeBytes).sum();
            String largestText = largest == null ? "there are no untypeds"
                    : String.format("the largest untyped is %s (%s at 0x%x)", Sizes.human(largest.freeBytes()), largest.name(), largest.paddr() + largest.freeOffset());
            errors.add(new ConfigError(file, m.line(), String.format(
                    "memory region '%s' of %s does not fit in any single untyped: %s, although %s is free in total across %d untypeds; a memory region is carved from one untyped",
                    m.name(), Sizes.human(m.size()), largestText, Sizes.human(total), untypeds.size()),
                    largest == null ? "more RAM" : "a region of at most " + Sizes.human(largest.freeBytes()) + ", or several smaller regions"));
            return null;
        }
        ObjectType type = m.pageSize() == 4096 ? ObjectType.FRAME_4K : m.pageSize() == (2L << 20) ? ObjectType.FRAME_2M : ObjectType.FRAME_1G;
        long count = m.size() / m.pageSize();
        long at = best.paddr() + alignUp(best.freeOffset(), m.pageSize());
        kernel.createFrames(best, type, count, m.name());
        return String.format("%s: %s at 0x%x from %s (%s), %d x %s frames", m.name(), Sizes.human(m.size()), at, best.name(),
                Sizes.human(best.size()), count, Sizes.human(m.pageSize()));
    }

    private static long alignUp(long v, long a) {
        return (v + a - 1) & -a;
    }
}
