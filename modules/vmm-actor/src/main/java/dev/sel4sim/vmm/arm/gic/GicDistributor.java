package dev.sel4sim.vmm.arm.gic;

import dev.sel4sim.vmm.arm.CpuTopology;

/**
 * The per-INTID state of a GIC: enable, pending, active, priority, trigger mode, group and where an SPI
 * goes. SGIs (INTIDs 0-15) and PPIs (16-31) are banked per VCPU; SPIs (32 up to {@link #lineCount()})
 * are shared. The facades change it through their register decoders; the VMM reads it here.
 *
 * <p>Pending is kept as two parts, as the GIC specifications describe it: the input line (for a
 * level-sensitive interrupt, pending while the line is high) and a latch (set by an edge on an
 * edge-triggered line, by ISPENDR or by an SGI; cleared by acknowledge and ICPENDR). Acknowledging a
 * level-sensitive interrupt whose line is still high leaves it active and pending.
 *
 * <p>Queries with an INTID this GIC does not implement answer {@code false} or 0.
 */
public final class GicDistributor {

    /** Number of SGIs, INTIDs 0..15. */
    public static final int SGIS = 16;
    /** Number of banked (SGI and PPI) INTIDs, 0..31. */
    public static final int PRIVATE = 32;
    /** The INTID an acknowledge returns when nothing can be taken. */
    public static final int SPURIOUS = 1023;
    /** The largest number of INTIDs a GICv2 or GICv3 without extended ranges implements. */
    public static final int MAX_LINES = 1020;

    private final int vcpus;
    private final int lines;
    private final boolean affinityRouting;
    private final CpuTopology topology;
    private final DirtyVcpus dirty;

    private int groupEnables;
    private final boolean[] enabled;
    private final boolean[] latched;
    private final boolean[] line;
    private final boolean[] active;
    private final boolean[] edge;
    private final boolean[] group1;
    private final int[] priority;
    private final int[] targets;
    private final long[] router;
    private final int[] sgiSources;

    GicDistributor(CpuTopology topology, int lines, boolean affinityRouting, DirtyVcpus dirty) {
        this.topology = topology;
        this.vcpus = topology.count();
        this.lines = normaliseLines(lines);
        this.affinityRouting = affinityRouting;
        this.dirty = dirty;
        int slots = vcpus * PRIVATE + this.lines - PRIVATE;
        enabled = new boolean[slots];
        latched = new boolean[slots];
        line = new boolean[slots];
        active = new boolean[slots];
        edge = new boolean[slots];
        group1 = new boolean[slots];
        priority = new int[slots];
        targets = new int[this.lines - PRIVATE];
        router = new long[this.lines - PRIVATE];
        sgiSources = new int[vcpus * SGIS];
        for (int v = 0; v < vcpus; v++) {
            for (int sgi = 0; sgi < SGIS; sgi++) {
                edge[v * PRIVATE + sgi] = true;
            }
        }
    }

    /**
     * Rounds a requested interrupt count up to whole blocks of 32 INTIDs (the granularity of
     * GICD_TYPER.ITLinesNumber), at most {@link #MAX_LINES}.
     *
     * @param requested INTIDs wanted, SGIs and PPIs included (e.g. a board's physicalIrqCount), 32..1020
     * @return the number of INTIDs the GIC implements
     */
    public static int normaliseLines(int requested) {
        if (requested < PRIVATE || requested > MAX_LINES) {
            throw new IllegalArgumentException("a GIC implements 32..1020 INTIDs, not " + requested);
        }
        return Math.min(MAX_LINES, (requested + 31) & ~31);
    }

    /** @return the number of VCPUs (CPU interfaces) */
    public int vcpuCount() {
        return vcpus;
    }

    /** @return the number of INTIDs implemented, SGIs and PPIs included */
    public int lineCount() {
        return lines;
    }

    /** @return true for GICv3 affinity routing (IROUTER), false for GICv2 CPU target masks */
    public boolean affinityRouting() {
        return affinityRouting;
    }

    /** @return GICD_CTLR's group enables: bit 0 group 0, bit 1 group 1 */
    public int groupEnables() {
        return groupEnables;
    }

    /**
     * @param intid an INTID
     * @return whether this GIC implements it
     */
    public boolean implemented(int intid) {
        return intid >= 0 && intid < lines;
    }

    /** @return whether the INTID is enabled (for SGIs and PPIs, in that VCPU's bank) */
    public boolean isEnabled(int vcpu, int intid) {
        return valid(vcpu, intid) && enabled[slot(vcpu, intid)];
    }

    /** @return whether the INTID is pending, from its latch or its level-sensitive line */
    public boolean isPending(int vcpu, int intid) {
        return valid(vcpu, intid) && pending(slot(vcpu, intid));
    }

    /** @return whether the INTID is active */
    public boolean isActive(int vcpu, int intid) {
        return valid(vcpu, intid) && active[slot(vcpu, intid)];
    }

    /** @return the INTID's priority, bits [7:3] */
    public int priority(int vcpu, int intid) {
        return valid(vcpu, intid) ? priority[slot(vcpu, intid)] : 0;
    }

    /** @return whether the INTID is edge-triggered (always for SGIs) */
    public boolean isEdge(int vcpu, int intid) {
        return valid(vcpu, intid) && edge[slot(vcpu, intid)];
    }

    /** @return whether the INTID is in group 1 */
    public boolean isGroup1(int vcpu, int intid) {
        return valid(vcpu, intid) && group1[slot(vcpu, intid)];
    }

    /** @return the level of the INTID's input line as last set by the VMM */
    public boolean lineLevel(int vcpu, int intid) {
        return valid(vcpu, intid) && line[slot(vcpu, intid)];
    }

    /** @return a GICv2 SPI's CPU target mask (ITARGETSR byte) */
    public int target(int intid) {
        return intid >= PRIVATE && intid < lines ? targets[intid - PRIVATE] : 0;
    }

    /** @return a GICv3 SPI's route (GICD_IROUTER) as an MPIDR-layout affinity */
    public long route(int intid) {
        return intid >= PRIVATE && intid < lines ? router[intid - PRIVATE] : 0;
    }

    /** @return for a GICv2 SGI, the mask of CPU interfaces it is pending from on {@code vcpu} */
    public int sgiSources(int vcpu, int sgi) {
        return vcpu >= 0 && vcpu < vcpus && sgi >= 0 && sgi < SGIS ? sgiSources[vcpu * SGIS + sgi] : 0;
    }

    /**
     * @param vcpu  a VCPU
     * @param intid an INTID
     * @return whether the INTID is delivered to that VCPU's CPU interface: always for its own SGIs and
     *         PPIs; for an SPI, by its target mask (GICv2) or route (GICv3)
     */
    public boolean targets(int vcpu, int intid) {
        if (!valid(vcpu, intid)) {
            return false;
        }
        if (intid < PRIVATE) {
            return true;
        }
        if (affinityRouting) {
            return router[intid - PRIVATE] == topology.affinity(vcpu);
        }
        return vcpus == 1 || (targets[intid - PRIVATE] & (1 << vcpu)) != 0;
    }

    // ---- changes, made by the register decoders and the core ----

    void setGroupEnables(int bits) {
        groupEnables = bits & 3;
        dirty.markAll();
    }

    void setEnabled(int vcpu, int intid, boolean on) {
        if (valid(vcpu, intid)) {
            enabled[slot(vcpu, intid)] = on;
            touched(vcpu, intid);
        }
    }

    /** Sets or clears the pending latch; a GICv2 SGI's latch follows its sources instead. */
    void setLatched(int vcpu, int intid, boolean on) {
        if (valid(vcpu, intid) && !(intid < SGIS && !affinityRouting)) {
            latched[slot(vcpu, intid)] = on;
            touched(vcpu, intid);
        }
    }

    void setActive(int vcpu, int intid, boolean on) {
        if (valid(vcpu, intid)) {
            active[slot(vcpu, intid)] = on;
            touched(vcpu, intid);
        }
    }

    void setPriority(int vcpu, int intid, int value) {
        if (valid(vcpu, intid)) {
            priority[slot(vcpu, intid)] = value & GicPriority.MASK;
            touched(vcpu, intid);
        }
    }

    /** SGIs stay edge-triggered whatever is written. */
    void setEdge(int vcpu, int intid, boolean on) {
        if (valid(vcpu, intid) && intid >= SGIS) {
            edge[slot(vcpu, intid)] = on;
            touched(vcpu, intid);
        }
    }

    void setGroup1(int vcpu, int intid, boolean on) {
        if (valid(vcpu, intid)) {
            group1[slot(vcpu, intid)] = on;
            touched(vcpu, intid);
        }
    }

    /** GICv2 ITARGETSR for an SPI; bits for CPU interfaces that do not exist read as zero. */
    void setTarget(int intid, int mask) {
        if (intid >= PRIVATE && intid < lines) {
            targets[intid - PRIVATE] = mask & ((1 << Math.min(vcpus, 8)) - 1);
            dirty.markAll();
        }
    }

    /** GICv3 IROUTER for an SPI, affinity fields only (no 1-of-N routing). */
    void setRoute(int intid, long affinity) {
        if (intid >= PRIVATE && intid < lines) {
            router[intid - PRIVATE] = affinity & CpuTopology.AFFINITY_MASK;
            dirty.markAll();
        }
    }

    /** Makes a GICv2 SGI pending on {@code target} from the CPU interfaces in {@code sourceMask}. */
    void addSgiSources(int target, int sgi, int sourceMask) {
        setSgiSources(target, sgi, sgiSources(target, sgi) | sourceMask);
    }

    /** Removes sources from a GICv2 SGI pending on {@code target}. */
    void removeSgiSources(int target, int sgi, int sourceMask) {
        setSgiSources(target, sgi, sgiSources(target, sgi) & ~sourceMask);
    }

    private void setSgiSources(int target, int sgi, int mask) {
        if (target < 0 || target >= vcpus || sgi < 0 || sgi >= SGIS) {
            return;
        }
        int m = mask & ((1 << Math.min(vcpus, 8)) - 1);
        sgiSources[target * SGIS + sgi] = m;
        latched[slot(target, sgi)] = m != 0;
        dirty.mark(target);
    }

    /**
     * Drives an interrupt input line. A rising edge latches an edge-triggered interrupt pending; a
     * level-sensitive one is pending while the line is high.
     *
     * @return false if the INTID is not a PPI or SPI of this GIC (nothing changes)
     */
    boolean setLineLevel(int vcpu, int intid, boolean high) {
        if (!valid(vcpu, intid) || intid < SGIS) {
            return false;
        }
        int s = slot(vcpu, intid);
        if (line[s] == high) {
            return true;
        }
        line[s] = high;
        if (high && edge[s]) {
            latched[s] = true;
        }
        touched(vcpu, intid);
        return true;
    }

    boolean pendingSlot(int vcpu, int intid) {
        return pending(slot(vcpu, intid));
    }

    int slot(int vcpu, int intid) {
        return intid < PRIVATE ? vcpu * PRIVATE + intid : vcpus * PRIVATE + intid - PRIVATE;
    }

    boolean enabledSlot(int s) {
        return enabled[s];
    }

    boolean activeSlot(int s) {
        return active[s];
    }

    boolean group1Slot(int s) {
        return group1[s];
    }

    int prioritySlot(int s) {
        return priority[s];
    }

    boolean pending(int s) {
        return latched[s] || (!edge[s] && line[s]);
    }

    private boolean valid(int vcpu, int intid) {
        return vcpu >= 0 && vcpu < vcpus && intid >= 0 && intid < lines;
    }

    private void touched(int vcpu, int intid) {
        if (intid < PRIVATE) {
            dirty.mark(vcpu);
        } else {
            dirty.markAll();
        }
    }
}
