package dev.sel4sim.vmm.arm.gic;

import dev.sel4sim.vmm.arm.CpuTopology;

/**
 * A GICv2 (ARM IHI 0048B) without the Security Extensions, for up to 8 VCPUs: the distributor (GICD_*)
 * and the memory-mapped CPU interface (GICC_*). Offsets are relative to each window's base; the VCPU
 * argument is the one performing the access (banked registers and the CPU interface are per VCPU).
 */
public final class GicV2 implements VirtualGic {

    /** Size of the distributor window. */
    public static final long DISTRIBUTOR_SIZE = 0x1000;
    /** Size of the CPU interface window (GICC_DIR is at 0x1000). */
    public static final long CPU_INTERFACE_SIZE = 0x2000;
    /** ARM's JEP106 code, the implementer field of the ID registers. */
    static final int IMPLEMENTER_ARM = 0x43B;
    /** GICD_IIDR: ProductID 0x53 (not a real ARM product, so no guest applies a product erratum). */
    public static final int GICD_IIDR = 0x5300_0000 | IMPLEMENTER_ARM;
    /**
     * GICC_IIDR: ProductID 0, architecture version 2, ARM. Linux recognises an ARM GICv2 CPU interface by
     * {@code (IIDR & 0xff0fff) == 0x02043b}, which needs the low ProductID nibble clear.
     */
    public static final int GICC_IIDR = 0x2_0000 | IMPLEMENTER_ARM;

    private static final int CTLR = 0x000;
    private static final int TYPER = 0x004;
    private static final int IIDR = 0x008;
    private static final int SGIR = 0xF00;
    private static final int CPENDSGIR = 0xF10;
    private static final int SPENDSGIR = 0xF20;
    private static final int PIDR2 = 0xFE8;
    private static final int CIDR0 = 0xFF0;

    private static final int C_CTLR = 0x00;
    private static final int C_PMR = 0x04;
    private static final int C_BPR = 0x08;
    private static final int C_IAR = 0x0C;
    private static final int C_EOIR = 0x10;
    private static final int C_RPR = 0x14;
    private static final int C_HPPIR = 0x18;
    private static final int C_ABPR = 0x1C;
    private static final int C_AIAR = 0x20;
    private static final int C_AEOIR = 0x24;
    private static final int C_AHPPIR = 0x28;
    private static final int C_APR0 = 0xD0;
    private static final int C_NSAPR0 = 0xE0;
    private static final int C_IIDR = 0xFC;
    private static final int C_DIR = 0x1000;

    /** The acknowledge value for "the highest-priority interrupt is in the other group". */
    static final int OTHER_GROUP = 1022;

    private final GicCore core;
    private final IntidRegisterBank bank;

    /**
     * @param vcpus 1..8
     * @param lines INTIDs to implement, SGIs and PPIs included (a board's physicalIrqCount, e.g. 160),
     *              rounded up to a multiple of 32; see {@link GicDistributor#normaliseLines(int)}
     */
    public GicV2(int vcpus, int lines) {
        if (vcpus < 1 || vcpus > 8) {
            throw new IllegalArgumentException("a GICv2 serves 1..8 CPU interfaces, not " + vcpus);
        }
        core = new GicCore(CpuTopology.linear(vcpus, 8), lines, false);
        bank = new IntidRegisterBank(core.distributor());
    }

    @Override
    public GicCore core() {
        return core;
    }

    /**
     * A guest read of the distributor.
     *
     * @param vcpu   the reading VCPU
     * @param offset from the distributor's base
     * @param size   1, 2, 4 or 8 bytes
     * @return the value, zero-extended
     */
    public long readDistributor(int vcpu, long offset, int size) {
        core.checkVcpu(vcpu);
        long value = Mmio.read(offset, size, DISTRIBUTOR_SIZE, off -> distributorRead(vcpu, off));
        core.flush();
        return value;
    }

    /**
     * A guest write to the distributor.
     *
     * @param vcpu   the writing VCPU
     * @param offset from the distributor's base
     * @param size   1, 2, 4 or 8 bytes
     * @param value  the value, in the low {@code size} bytes
     */
    public void writeDistributor(int vcpu, long offset, int size, long value) {
        core.checkVcpu(vcpu);
        Mmio.write(offset, size, value, DISTRIBUTOR_SIZE, (off, v, mask) -> distributorWrite(vcpu, off, v, mask));
        core.flush();
    }

    /**
     * A guest read of its CPU interface (reading GICC_IAR acknowledges an interrupt).
     *
     * @param vcpu   the reading VCPU
     * @param offset from the CPU interface's base
     * @param size   1, 2, 4 or 8 bytes
     * @return the value, zero-extended
     */
    public long readCpuInterface(int vcpu, long offset, int size) {
        core.checkVcpu(vcpu);
        long value = Mmio.read(offset, size, CPU_INTERFACE_SIZE, off -> cpuRead(vcpu, off));
        core.flush();
        return value;
    }

    /**
     * A guest write to its CPU interface.
     *
     * @param vcpu   the writing VCPU
     * @param offset from the CPU interface's base
     * @param size   1, 2, 4 or 8 bytes
     * @param value  the value, in the low {@code size} bytes
     */
    public void writeCpuInterface(int vcpu, long offset, int size, long value) {
        core.checkVcpu(vcpu);
        Mmio.write(offset, size, value, CPU_INTERFACE_SIZE, (off, v, mask) -> cpuWrite(vcpu, off, v, mask));
        core.flush();
    }

    // ---- distributor ----

    private int distributorRead(int vcpu, int off) {
        GicDistributor d = core.distributor();
        if (IntidRegisterBank.covers(off)) {
            return bank.read(vcpu, off, 0, d.lineCount());
        }
        if (off >= CPENDSGIR && off < SPENDSGIR + 16) {
            int first = (off - CPENDSGIR) & 0xF;
            int word = 0;
            for (int i = 0; i < 4; i++) {
                word |= d.sgiSources(vcpu, first + i) << (8 * i);
            }
            return word;
        }
        return switch (off) {
            case CTLR -> d.groupEnables();
            case TYPER -> ((d.lineCount() + 31) / 32 - 1) | ((d.vcpuCount() - 1) << 5);
            case IIDR -> GICD_IIDR;
            case PIDR2 -> 0x2B;
            case CIDR0 -> 0x0D;
            case CIDR0 + 4 -> 0xF0;
            case CIDR0 + 8 -> 0x05;
            case CIDR0 + 12 -> 0xB1;
            default -> 0;
        };
    }

    private void distributorWrite(int vcpu, int off, int value, int mask) {
        GicDistributor d = core.distributor();
        if (IntidRegisterBank.covers(off)) {
            bank.write(vcpu, off, value, mask, 0, d.lineCount());
        } else if (off == CTLR) {
            d.setGroupEnables(Mmio.merge(d.groupEnables(), value, mask));
        } else if (off == SGIR && mask == -1) {
            sendSgi(vcpu, value);
        } else if (off >= CPENDSGIR && off < SPENDSGIR + 16) {
            boolean set = off >= SPENDSGIR;
            int first = (off - CPENDSGIR) & 0xF;
            for (int i = 0; i < 4; i++) {
                int sources = (value & mask) >>> (8 * i) & 0xFF;
                if (set) {
                    d.addSgiSources(vcpu, first + i, sources);
                } else {
                    d.removeSgiSources(vcpu, first + i, sources);
                }
            }
        }
    }

    /**
     * GICD_SGIR: SGIINTID [3:0], CPUTargetList [23:16], TargetListFilter [25:24] (0 the list, 1 every
     * other CPU interface, 2 the writer only, 3 reserved and ignored).
     */
    private void sendSgi(int vcpu, int value) {
        int sgi = value & 0xF;
        int all = (1 << core.vcpuCount()) - 1;
        int targets = switch ((value >>> 24) & 3) {
            case 0 -> (value >>> 16) & all;
            case 1 -> all & ~(1 << vcpu);
            case 2 -> 1 << vcpu;
            default -> 0;
        };
        for (int t = 0; t < core.vcpuCount(); t++) {
            if ((targets & (1 << t)) != 0) {
                core.distributor().addSgiSources(t, sgi, 1 << vcpu);
            }
        }
    }

    // ---- CPU interface ----

    private int cpuRead(int vcpu, int off) {
        GicCpuInterface c = core.cpuInterface(vcpu);
        return switch (off) {
            case C_CTLR -> (c.enableGroup0() ? 1 : 0) | (c.enableGroup1() ? 2 : 0) | (c.ackCtl() ? 4 : 0)
                    | (c.fiqEn() ? 8 : 0) | (c.cbpr() ? 0x10 : 0) | c.bypassBits()
                    | (c.eoiMode(false) ? 0x200 : 0) | (c.eoiMode(true) ? 0x400 : 0);
            case C_PMR -> c.pmr();
            case C_BPR -> c.bpr0();
            case C_ABPR -> c.bpr1();
            case C_IAR -> acknowledge(vcpu, false);
            case C_AIAR -> acknowledge(vcpu, true);
            case C_RPR -> c.runningPriority();
            case C_HPPIR -> highestPendingId(vcpu, false);
            case C_AHPPIR -> highestPendingId(vcpu, true);
            case C_APR0 -> c.activePriorities0();
            case C_NSAPR0 -> c.activePriorities1();
            case C_IIDR -> GICC_IIDR;
            default -> 0;
        };
    }

    private void cpuWrite(int vcpu, int off, int value, int mask) {
        GicCpuInterface c = core.cpuInterface(vcpu);
        if (mask != -1 && off != C_CTLR && off != C_PMR) {
            return;
        }
        switch (off) {
            case C_CTLR -> {
                int v = Mmio.merge(cpuRead(vcpu, C_CTLR), value, mask);
                c.setEnableGroup0((v & 1) != 0);
                c.setEnableGroup1((v & 2) != 0);
                c.setAckCtl((v & 4) != 0);
                c.setFiqEn((v & 8) != 0);
                c.setCbpr((v & 0x10) != 0);
                c.setBypassBits(v & 0x1E0);
                c.setEoiMode(false, (v & 0x200) != 0);
                c.setEoiMode(true, (v & 0x400) != 0);
            }
            case C_PMR -> c.setPmr(Mmio.merge(c.pmr(), value, mask));
            case C_BPR -> c.setBpr0(value);
            case C_ABPR -> c.setBpr1(value);
            case C_EOIR -> core.endOfInterrupt(vcpu, value & 0x3FF,
                    core.distributor().isGroup1(vcpu, value & 0x3FF));
            case C_AEOIR -> core.endOfInterrupt(vcpu, value & 0x3FF, true);
            case C_DIR -> core.deactivate(vcpu, value & 0x3FF);
            case C_APR0 -> c.setActivePriorities0(value);
            case C_NSAPR0 -> c.setActivePriorities1(value);
            default -> {
            }
        }
    }

    /**
     * GICC_IAR / GICC_AIAR. IAR takes a group 0 interrupt, and a group 1 one only with AckCtl (else it
     * answers 1022); AIAR takes only group 1. For SGIs bits [12:10] carry the source CPU.
     */
    private int acknowledge(int vcpu, boolean aliased) {
        PendingInterrupt top = core.highestPending(vcpu);
        if (top == null || !core.canSignal(vcpu, top)) {
            return GicDistributor.SPURIOUS;
        }
        if (aliased && !top.group1()) {
            return GicDistributor.SPURIOUS;
        }
        if (!aliased && top.group1() && !core.cpuInterface(vcpu).ackCtl()) {
            return OTHER_GROUP;
        }
        core.activate(vcpu, top);
        return iarValue(top);
    }

    private int highestPendingId(int vcpu, boolean aliased) {
        PendingInterrupt top = core.highestPending(vcpu);
        if (top == null || (aliased && !top.group1())) {
            return GicDistributor.SPURIOUS;
        }
        if (!aliased && top.group1() && !core.cpuInterface(vcpu).ackCtl()) {
            return OTHER_GROUP;
        }
        return iarValue(top);
    }

    private static int iarValue(PendingInterrupt irq) {
        return irq.intid() < GicDistributor.SGIS ? irq.intid() | (irq.sourceCpu() << 10) : irq.intid();
    }
}
