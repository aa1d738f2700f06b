package dev.sel4sim.vmm.arm.dt;

import java.util.List;
import java.util.Objects;

import dev.sel4sim.boards.Gic;
import dev.sel4sim.boards.MemoryRegion;

/** The interrupt controller a VM sees: a GICv2 or a GICv3. */
public sealed interface GicSpec {

    /** @return the distributor (GICD) window */
    MemoryRegion distributor();

    /** @return the most CPUs this controller can serve */
    int maxCpus();

    /** @return the MMIO windows the controller occupies for this many CPUs */
    List<MemoryRegion> windows(int cpuCount);

    /**
     * The affinity fields a CPU has, as its {@code cpu} node's {@code reg} and in MPIDR_EL1 (which also sets
     * bit 31, RES1). Like QEMU's virt machine: Aff0 counts within a cluster of 8 CPUs for a GICv2 (its target
     * lists have 8 bits) and of 16 for a GICv3 (its SGI target lists have 16), Aff1 is the cluster.
     *
     * @param cpuIndex 0-based CPU number
     * @return Aff1 in bits [15:8], Aff0 in bits [7:0]
     */
    default int cpuAffinity(int cpuIndex) {
        int cluster = this instanceof V2 ? 8 : 16;
        if (cpuIndex < 0 || cpuIndex >= maxCpus()) {
            throw new IllegalArgumentException("CPU index " + cpuIndex + " outside 0.." + (maxCpus() - 1));
        }
        return (cpuIndex / cluster) << 8 | cpuIndex % cluster;
    }

    /**
     * A GICv2 ({@code arm,cortex-a15-gic}): the guest's CPU interface is memory-mapped; under seL4 the VMM
     * maps the virtual CPU interface (GICV) at this address.
     *
     * @param distributor  GICD
     * @param cpuInterface GICC as the guest sees it
     */
    record V2(MemoryRegion distributor, MemoryRegion cpuInterface) implements GicSpec {
        /** Checks the windows are given and apart. */
        public V2 {
            Objects.requireNonNull(distributor, "distributor");
            Objects.requireNonNull(cpuInterface, "cpuInterface");
            if (distributor.overlaps(cpuInterface)) {
                throw new IllegalArgumentException("GIC distributor " + distributor + " overlaps the CPU interface "
                        + cpuInterface);
            }
        }

        @Override
        public int maxCpus() {
            return 8;
        }

        @Override
        public List<MemoryRegion> windows(int cpuCount) {
            return List.of(distributor, cpuInterface);
        }
    }

    /**
     * A GICv3 ({@code arm,gic-v3}) with one contiguous redistributor region: one 128 KiB redistributor
     * (RD_base and SGI_base frames, 64 KiB each) per CPU.
     *
     * @param distributor       GICD
     * @param redistributorBase the first redistributor's address
     */
    record V3(MemoryRegion distributor, long redistributorBase) implements GicSpec {

        /** Bytes of one CPU's redistributor: two 64 KiB frames. */
        public static final long REDISTRIBUTOR_SIZE = 0x2_0000;

        /** Checks the distributor is given and the base is 64 KiB aligned. */
        public V3 {
            Objects.requireNonNull(distributor, "distributor");
            if (redistributorBase < 0 || redistributorBase % 0x1_0000 != 0) {
                throw new IllegalArgumentException("redistributor base must be 64 KiB aligned");
            }
        }

        @Override
        public int maxCpus() {
            return 256;
        }

        /**
         * @param cpuCount CPUs of the VM
         * @return the redistributor region for that many CPUs
         */
        public MemoryRegion redistributors(int cpuCount) {
            return new MemoryRegion(redistributorBase, cpuCount * REDISTRIBUTOR_SIZE);
        }

        @Override
        public List<MemoryRegion> windows(int cpuCount) {
            return List.of(distributor, redistributors(cpuCount));
        }
    }

    /**
     * The guest view of a board's GIC: the same addresses (for a GICv2 the GICC address, which the VMM backs
     * with the GICV frame).
     *
     * @param gic the board's controller
     * @return its spec
     */
    static GicSpec fromBoard(Gic gic) {
        return switch (gic.version()) {
            case 2 -> new V2(gic.distributor(), gic.cpuInterface().orElseThrow());
            case 3 -> new V3(gic.distributor(), gic.redistributor().orElseThrow().base());
            default -> throw new IllegalArgumentException("GIC version " + gic.version());
        };
    }
}
