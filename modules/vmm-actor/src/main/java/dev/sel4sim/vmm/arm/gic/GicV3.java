package dev.sel4sim.vmm.arm.gic;

import dev.sel4sim.vmm.arm.CpuTopology;
import dev.sel4sim.vmm.cpu.SysReg;
import dev.sel4sim.vmm.arm.SysRegResult;

/**
 * A GICv3 (ARM IHI 0069) with a single security state (GICD_CTLR.DS = 1) and affinity routing always on:
 * the distributor (GICD_*), one redistributor per VCPU (GICR_*: a 64 KiB RD_base frame then a 64 KiB
 * SGI_base frame, 128 KiB per VCPU, in VCPU order, the last with GICR_TYPER.Last) and the ICC_* system
 * registers. No LPIs.
 */
public final class GicV3 implements VirtualGic {

    /** Size of the distributor window. */
    public static final long DISTRIBUTOR_SIZE = 0x10000;
    /** Size of one VCPU's redistributor (RD_base + SGI_base). */
    public static final long REDISTRIBUTOR_STRIDE = 0x20000;
    /** GICD_IIDR and GICR_IIDR: ProductID 0x53 (no real product), ARM as implementer. */
    public static final int IIDR = 0x5300_0000 | GicV2.IMPLEMENTER_ARM;

    private static final int D_CTLR = 0x0000;
    private static final int D_TYPER = 0x0004;
    private static final int D_IIDR = 0x0008;
    private static final int D_IROUTER = 0x6000;
    private static final int PIDR2 = 0xFFE8;
    /** PIDR2 with ArchRev 3 in [7:4] and ARM's JEP106 identity in [3:0]; Linux checks ArchRev. */
    private static final int PIDR2_GICV3 = 0x3B;

    private static final int CTLR_ARE = 1 << 4;
    private static final int CTLR_DS = 1 << 6;

    private static final int R_CTLR = 0x0000;
    private static final int R_IIDR = 0x0004;
    private static final int R_TYPER = 0x0008;
    private static final int R_WAKER = 0x0014;
    private static final int SGI_BASE = 0x10000;

    private static final int WAKER_PROCESSOR_SLEEP = 1 << 1;
    private static final int WAKER_CHILDREN_ASLEEP = 1 << 2;

    private final CpuTopology topology;
    private final GicCore core;
    private final IntidRegisterBank bank;

    /**
     * @param topology the VCPUs' MPIDR affinities (redistributor order and SGI/SPI routing)
     * @param lines    INTIDs to implement, SGIs and PPIs included, rounded up to a multiple of 32
     */
    public GicV3(CpuTopology topology, int lines) {
        if (topology.count() > 0xFFFF) {
            throw new IllegalArgumentException("too many VCPUs for GICR_TYPER.Processor_Number");
        }
        this.topology = topology;
        core = new GicCore(topology, lines, true);
        bank = new IntidRegisterBank(core.distributor());
    }

    @Override
    public GicCore core() {
        return core;
    }

    /** @return the size of the redistributor region for all VCPUs */
    public long redistributorRegionSize() {
        return REDISTRIBUTOR_STRIDE * core.vcpuCount();
    }

    /**
     * A guest read of the distributor (not banked: every VCPU sees the same registers).
     *
     * @param offset from the distributor's base
     * @param size   1, 2, 4 or 8 bytes
     * @return the value, zero-extended
     */
    public long readDistributor(long offset, int size) {
        long value = Mmio.read(offset, size, DISTRIBUTOR_SIZE, this::distributorRead);
        core.flush();
        return value;
    }

    /**
     * A guest write to the distributor.
     *
     * @param offset from the distributor's base
     * @param size   1, 2, 4 or 8 bytes
     * @param value  the value, in the low {@code size} bytes
     */
    public void writeDistributor(long offset, int size, long value) {
        Mmio.write(offset, size, value, DISTRIBUTOR_SIZE, this::distributorWrite);
        core.flush();
    }

    /**
     * A guest read of one VCPU's redistributor (any VCPU may read any redistributor).
     *
     * @param vcpu   whose redistributor
     * @param offset from that redistributor's RD_base, 0..0x1FFFF
     * @param size   1, 2, 4 or 8 bytes
     * @return the value, zero-extended
     */
    public long readRedistributor(int vcpu, long offset, int size) {
        core.checkVcpu(vcpu);
        long value = Mmio.read(offset, size, REDISTRIBUTOR_STRIDE, off -> redistributorRead(vcpu, off));
        core.flush();
        return value;
    }

    /**
     * A guest write to one VCPU's redistributor.
     *
     * @param vcpu   whose redistributor
     * @param offset from that redistributor's RD_base, 0..0x1FFFF
     * @param size   1, 2, 4 or 8 bytes
     * @param value  the value, in the low {@code size} bytes
     */
    public void writeRedistributor(int vcpu, long offset, int size, long value) {
        core.checkVcpu(vcpu);
        Mmio.write(offset, size, value, REDISTRIBUTOR_STRIDE,
                (off, v, mask) -> redistributorWrite(vcpu, off, v, mask));
        core.flush();
    }

    /**
     * A read anywhere in the redistributor region: the frame is {@code offset / REDISTRIBUTOR_STRIDE}.
     *
     * @param offset from the region's base
     * @param size   1, 2, 4 or 8 bytes
     * @return the value; zero beyond the last redistributor
     */
    public long readRedistributorRegion(long offset, int size) {
        if (offset < 0 || offset >= redistributorRegionSize()) {
            return 0;
        }
        return readRedistributor((int) (offset / REDISTRIBUTOR_STRIDE), offset % REDISTRIBUTOR_STRIDE, size);
    }

    /**
     * A write anywhere in the redistributor region.
     *
     * @param offset from the region's base
     * @param size   1, 2, 4 or 8 bytes
     * @param value  the value
     */
    public void writeRedistributorRegion(long offset, int size, long value) {
        if (offset >= 0 && offset < redistributorRegionSize()) {
            writeRedistributor((int) (offset / REDISTRIBUTOR_STRIDE), offset % REDISTRIBUTOR_STRIDE, size, value);
        }
    }

    /**
     * An MRS of a GIC CPU interface register by a VCPU.
     *
     * @param vcpu the reading VCPU
     * @param reg  the register's encoding
     * @return its value, {@link SysRegResult.Unknown} if it is not an ICC register this GIC implements, or
     *         {@link SysRegResult.Refused} for a write-only register
     */
    public SysRegResult readSysReg(int vcpu, SysReg reg) {
        core.checkVcpu(vcpu);
        SysRegResult r = IccAccess.read(this, vcpu, reg);
        core.flush();
        return r;
    }

    /**
     * An MSR to a GIC CPU interface register by a VCPU.
     *
     * @param vcpu  the writing VCPU
     * @param reg   the register's encoding
     * @param value the value written
     * @return {@link SysRegResult#WRITTEN}, {@link SysRegResult.Unknown} or {@link SysRegResult.Refused}
     *         for a read-only register
     */
    public SysRegResult writeSysReg(int vcpu, SysReg reg, long value) {
        core.checkVcpu(vcpu);
        SysRegResult r = IccAccess.write(this, vcpu, reg, value);
        core.flush();
        return r;
    }

    CpuTopology topology() {
        return topology;
    }

    // ---- distributor ----

    private int distributorRead(int off) {
        GicDistributor d = core.distributor();
        if (IntidRegisterBank.covers(off)) {
            return bank.read(0, off, GicDistributor.PRIVATE, d.lineCount());
        }
        if (off >= D_IROUTER + 8 * GicDistributor.PRIVATE && off < D_IROUTER + 8 * d.lineCount()) {
            long route = d.route((off - D_IROUTER) / 8);
            return (off & 4) == 0 ? (int) (route & 0xFF_FFFF) : (int) (route >>> 32) & 0xFF;
        }
        return switch (off) {
            case D_CTLR -> d.groupEnables() | CTLR_ARE | CTLR_DS;
            case D_TYPER -> typer(d);
            case D_IIDR -> IIDR;
            case PIDR2 -> PIDR2_GICV3;
            default -> 0;
        };
    }

    /**
     * GICD_TYPER: ITLinesNumber, CPUNumber, IDbits = 9 (10-bit INTIDs, no LPIs), A3V, No1N (no 1-of-N
     * SPI routing) and RSS (SGI targets with Aff0 up to 255).
     */
    private static int typer(GicDistributor d) {
        return ((d.lineCount() + 31) / 32 - 1) | ((Math.min(d.vcpuCount(), 8) - 1) << 5) | (9 << 19) | (1 << 24)
                | (1 << 25) | (1 << 26);
    }

    private void distributorWrite(int off, int value, int mask) {
        GicDistributor d = core.distributor();
        if (IntidRegisterBank.covers(off)) {
            bank.write(0, off, value, mask, GicDistributor.PRIVATE, d.lineCount());
        } else if (off == D_CTLR) {
            d.setGroupEnables(Mmio.merge(d.groupEnables(), value, mask));
        } else if (off >= D_IROUTER + 8 * GicDistributor.PRIVATE && off < D_IROUTER + 8 * d.lineCount()) {
            int intid = (off - D_IROUTER) / 8;
            long route = d.route(intid);
            if ((off & 4) == 0) {
                int low = Mmio.merge((int) route, value, mask) & 0xFF_FFFF;
                route = (route & ~0xFF_FFFFL) | low;
            } else {
                int aff3 = Mmio.merge((int) (route >>> 32), value, mask) & 0xFF;
                route = (route & 0xFF_FFFFL) | ((long) aff3 << 32);
            }
            d.setRoute(intid, route);
        }
    }

    // ---- redistributor ----

    private int redistributorRead(int vcpu, int off) {
        if (off >= SGI_BASE) {
            int sgiOff = off - SGI_BASE;
            return IntidRegisterBank.covers(sgiOff) ? bank.read(vcpu, sgiOff, 0, GicDistributor.PRIVATE) : 0;
        }
        GicCpuInterface c = core.cpuInterface(vcpu);
        return switch (off) {
            case R_IIDR -> IIDR;
            case R_TYPER -> (vcpu << 8) | (vcpu == core.vcpuCount() - 1 ? 1 << 4 : 0);
            case R_TYPER + 4 -> topology.packedAffinity(vcpu);
            case R_WAKER -> c.processorSleep() ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
            case PIDR2 -> PIDR2_GICV3;
            default -> 0;
        };
    }

    private void redistributorWrite(int vcpu, int off, int value, int mask) {
        if (off >= SGI_BASE) {
            int sgiOff = off - SGI_BASE;
            if (IntidRegisterBank.covers(sgiOff)) {
                bank.write(vcpu, sgiOff, value, mask, 0, GicDistributor.PRIVATE);
            }
        } else if (off == R_WAKER && (mask & WAKER_PROCESSOR_SLEEP) != 0) {
            // The children (the CPU interface) follow ProcessorSleep at once, so Linux's poll of
            // ChildrenAsleep ends on its first read.
            core.cpuInterface(vcpu).setProcessorSleep((value & WAKER_PROCESSOR_SLEEP) != 0);
        }
    }

    // ---- SGIs from ICC_SGI0R_EL1 / ICC_SGI1R_EL1 ----

    /**
     * Generates an SGI: INTID [27:24], TargetList [15:0], Aff1 [23:16], Aff2 [39:32], IRM [40] (every PE
     * but the sender), RS [47:44] (target Aff0 = RS * 16 + list bit), Aff3 [55:48]. A target gets it only
     * if the SGI is configured in the group the register generates.
     */
    void sendSgi(int vcpu, long value, boolean group1) {
        int sgi = (int) (value >>> 24) & 0xF;
        boolean irm = ((value >>> 40) & 1) != 0;
        GicDistributor d = core.distributor();
        for (int t = 0; t < core.vcpuCount(); t++) {
            boolean hit = irm ? t != vcpu : addressedBy(topology.affinity(t), value);
            if (hit && d.isGroup1(t, sgi) == group1) {
                d.setLatched(t, sgi, true);
            }
        }
    }

    private static boolean addressedBy(long aff, long value) {
        long aff0 = aff & 0xFF;
        return ((aff >>> 32) & 0xFF) == ((value >>> 48) & 0xFF)
                && ((aff >>> 16) & 0xFF) == ((value >>> 32) & 0xFF)
                && ((aff >>> 8) & 0xFF) == ((value >>> 16) & 0xFF)
                && (aff0 >>> 4) == ((value >>> 44) & 0xF)
                && (value & (1L << (aff0 & 0xF))) != 0;
    }
}
