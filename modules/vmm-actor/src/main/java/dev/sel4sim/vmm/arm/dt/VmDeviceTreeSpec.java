package dev.sel4sim.vmm.arm.dt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.sel4sim.boards.MemoryRegion;
import dev.sel4sim.vmm.boot.fdt.FdtNode;

/**
 * Everything the device tree of one AArch64 VM describes. Build one with {@link #builder}.
 *
 * <p>The constructor checks the description as a whole: RAM banks and device windows must not overlap, device
 * interrupts must be distinct SPIs, the CPU count must suit the GIC, an initrd must lie in RAM. A failed check
 * is an {@link IllegalArgumentException} naming the two things in conflict.
 *
 * @param memory     RAM banks, one {@code memory@} node each
 * @param cpuCount   VCPUs, 1..8 with a GICv2, 1..256 with a GICv3
 * @param gic        the interrupt controller
 * @param timer      the generic timer's interrupts
 * @param psci       the PSCI conduit
 * @param pl011      the console UART, if any; {@code /chosen/stdout-path} and {@code serial0} point at it
 * @param pl031      the RTC, if any
 * @param virtio     virtio-mmio transports
 * @param bootargs   the kernel command line ({@code /chosen/bootargs}); may be empty
 * @param initrd     the initial RAM disk's range, if one is loaded
 * @param extraNodes further nodes under the root (passthrough devices), written as given
 */
public record VmDeviceTreeSpec(List<MemoryRegion> memory, int cpuCount, GicSpec gic, ArchTimerSpec timer,
                               PsciMethod psci, Optional<MmioDeviceSpec> pl011, Optional<MmioDeviceSpec> pl031,
                               List<VirtioMmioSlot> virtio, String bootargs, Optional<InitrdRange> initrd,
                               List<FdtNode> extraNodes) {

    /** Copies the lists and checks the description. */
    public VmDeviceTreeSpec {
        memory = List.copyOf(memory);
        virtio = List.copyOf(virtio);
        extraNodes = List.copyOf(extraNodes);
        Objects.requireNonNull(gic, "gic");
        Objects.requireNonNull(timer, "timer");
        Objects.requireNonNull(psci, "psci");
        Objects.requireNonNull(pl011, "pl011");
        Objects.requireNonNull(pl031, "pl031");
        Objects.requireNonNull(bootargs, "bootargs");
        Objects.requireNonNull(initrd, "initrd");
        if (memory.isEmpty()) {
            throw new IllegalArgumentException("a VM needs at least one RAM region");
        }
        if (cpuCount < 1 || cpuCount > gic.maxCpus()) {
            throw new IllegalArgumentException("cpu count " + cpuCount + " outside 1.." + gic.maxCpus()
                    + " for a " + (gic instanceof GicSpec.V2 ? "GICv2" : "GICv3"));
        }
        if (bootargs.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bootargs must not contain NUL");
        }
        checkLayout(memory, cpuCount, gic, pl011, pl031, virtio);
        if (initrd.isPresent()) {
            checkInitrd(memory, initrd.get());
        }
    }

    /**
     * @param start first byte of the initrd
     * @param end   first byte after it
     * @return this description with that initrd (its DTB has the same size for any addresses)
     */
    public VmDeviceTreeSpec withInitrd(long start, long end) {
        return new VmDeviceTreeSpec(memory, cpuCount, gic, timer, psci, pl011, pl031, virtio, bootargs,
                Optional.of(new InitrdRange(start, end)), extraNodes);
    }

    /** @return this description with another command line */
    public VmDeviceTreeSpec withBootargs(String newBootargs) {
        return new VmDeviceTreeSpec(memory, cpuCount, gic, timer, psci, pl011, pl031, virtio, newBootargs,
                initrd, extraNodes);
    }

    /**
     * @param memory   RAM banks
     * @param cpuCount VCPUs
     * @param gic      the interrupt controller
     * @return a builder with the standard timer PPIs, PSCI over HVC, no devices and empty bootargs
     */
    public static Builder builder(List<MemoryRegion> memory, int cpuCount, GicSpec gic) {
        return new Builder(memory, cpuCount, gic);
    }

    private static void checkLayout(List<MemoryRegion> memory, int cpuCount, GicSpec gic,
                                    Optional<MmioDeviceSpec> pl011, Optional<MmioDeviceSpec> pl031,
                                    List<VirtioMmioSlot> virtio) {
        Map<String, MemoryRegion> windows = new LinkedHashMap<>();
        for (int i = 0; i < memory.size(); i++) {
            windows.put("RAM region " + i, memory.get(i));
        }
        List<MemoryRegion> gicWindows = gic.windows(cpuCount);
        windows.put("GIC distributor", gicWindows.get(0));
        windows.put(gic instanceof GicSpec.V2 ? "GIC CPU interface" : "GIC redistributors", gicWindows.get(1));
        pl011.ifPresent(d -> windows.put("PL011", d.region()));
        pl031.ifPresent(d -> windows.put("PL031", d.region()));
        for (int i = 0; i < virtio.size(); i++) {
            windows.put("virtio-mmio slot " + i, virtio.get(i).region());
        }
        List<Map.Entry<String, MemoryRegion>> list = new ArrayList<>(windows.entrySet());
        for (int i = 0; i < list.size(); i++) {
            for (int j = i + 1; j < list.size(); j++) {
                if (list.get(i).getValue().overlaps(list.get(j).getValue())) {
                    throw new IllegalArgumentException(list.get(i).getKey() + " " + list.get(i).getValue()
                            + " overlaps " + list.get(j).getKey() + " " + list.get(j).getValue());
                }
            }
        }
        Map<Integer, String> intids = new HashMap<>();
        pl011.ifPresent(d -> claim(intids, d.intid(), "PL011"));
        pl031.ifPresent(d -> claim(intids, d.intid(), "PL031"));
        for (int i = 0; i < virtio.size(); i++) {
            claim(intids, virtio.get(i).intid(), "virtio-mmio slot " + i);
        }
    }

    private static void checkInitrd(List<MemoryRegion> memory, InitrdRange range) {
        for (MemoryRegion m : memory) {
            if (m.contains(range.start()) && range.end() <= m.end()) {
                return;
            }
        }
        throw new IllegalArgumentException("initrd [0x" + Long.toHexString(range.start()) + ", 0x"
                + Long.toHexString(range.end()) + ") is not inside one RAM region");
    }

    private static void claim(Map<Integer, String> intids, int intid, String who) {
        String previous = intids.putIfAbsent(intid, who);
        if (previous != null) {
            throw new IllegalArgumentException(who + " and " + previous + " both use INTID " + intid);
        }
    }

    /** Collects the optional parts of a {@link VmDeviceTreeSpec}. */
    public static final class Builder {
        private final List<MemoryRegion> memory;
        private final int cpuCount;
        private final GicSpec gic;
        private ArchTimerSpec timer = ArchTimerSpec.standard();
        private PsciMethod psci = PsciMethod.HVC;
        private MmioDeviceSpec pl011;
        private MmioDeviceSpec pl031;
        private final List<VirtioMmioSlot> virtio = new ArrayList<>();
        private String bootargs = "";
        private InitrdRange initrd;
        private final List<FdtNode> extraNodes = new ArrayList<>();

        private Builder(List<MemoryRegion> memory, int cpuCount, GicSpec gic) {
            this.memory = List.copyOf(memory);
            this.cpuCount = cpuCount;
            this.gic = gic;
        }

        /** Sets the timer interrupts (default {@link ArchTimerSpec#standard()}). */
        public Builder timer(ArchTimerSpec value) {
            timer = value;
            return this;
        }

        /** Sets the PSCI conduit (default HVC). */
        public Builder psci(PsciMethod value) {
            psci = value;
            return this;
        }

        /** Adds the PL011 console UART. */
        public Builder pl011(MmioDeviceSpec value) {
            pl011 = value;
            return this;
        }

        /** Adds the PL031 RTC. */
        public Builder pl031(MmioDeviceSpec value) {
            pl031 = value;
            return this;
        }

        /** Adds a virtio-mmio transport. */
        public Builder virtio(VirtioMmioSlot slot) {
            virtio.add(slot);
            return this;
        }

        /** Sets the kernel command line. */
        public Builder bootargs(String value) {
            bootargs = value;
            return this;
        }

        /** Sets the initrd range. */
        public Builder initrd(long start, long end) {
            initrd = new InitrdRange(start, end);
            return this;
        }

        /** Adds a node under the root, e.g. a passthrough device. */
        public Builder extraNode(FdtNode node) {
            extraNodes.add(node);
            return this;
        }

        /** @return the checked description */
        public VmDeviceTreeSpec build() {
            return new VmDeviceTreeSpec(memory, cpuCount, gic, timer, psci, Optional.ofNullable(pl011),
                    Optional.ofNullable(pl031), virtio, bootargs, Optional.ofNullable(initrd), extraNodes);
        }
    }
}
