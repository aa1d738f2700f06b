package dev.sel4sim.vmm.arm.gic;

import dev.sel4sim.vmm.arm.CpuTopology;

/**
 * The GIC state machine both facades share: the distributor state, one CPU interface per VCPU, the
 * choice of the highest-priority pending interrupt, acknowledge, priority drop and deactivation, and the
 * IRQ/FIQ outputs per VCPU with their change notifications.
 */
public final class GicCore {

    private final boolean v3;
    private final DirtyVcpus dirty;
    private final GicDistributor distributor;
    private final GicCpuInterface[] cpus;
    private final boolean[] irqOut;
    private final boolean[] fiqOut;
    private GicOutputListener listener = (vcpu, irq, fiq) -> { };

    GicCore(CpuTopology topology, int lines, boolean v3) {
        this.v3 = v3;
        int n = topology.count();
        dirty = new DirtyVcpus(n);
        distributor = new GicDistributor(topology, lines, v3, dirty);
        cpus = new GicCpuInterface[n];
        for (int v = 0; v < n; v++) {
            cpus[v] = new GicCpuInterface(v, dirty, v3);
        }
        irqOut = new boolean[n];
        fiqOut = new boolean[n];
    }

    /** @return the distributor state */
    public GicDistributor distributor() {
        return distributor;
    }

    /**
     * @param vcpu a VCPU index
     * @return its CPU interface
     */
    public GicCpuInterface cpuInterface(int vcpu) {
        checkVcpu(vcpu);
        return cpus[vcpu];
    }

    /** @return the number of VCPUs */
    public int vcpuCount() {
        return cpus.length;
    }

    void setListener(GicOutputListener listener) {
        this.listener = listener == null ? (vcpu, irq, fiq) -> { } : listener;
    }

    /**
     * The highest-priority interrupt that is pending, enabled, not active, in a group enabled at both
     * the distributor and this CPU interface, and delivered to it; PMR and the running priority are not
     * considered (that is what HPPIR reports). Ties go to the lowest INTID, then the lowest SGI source.
     *
     * @param vcpu a VCPU index
     * @return the interrupt, or null if there is none
     */
    public PendingInterrupt highestPending(int vcpu) {
        checkVcpu(vcpu);
        GicCpuInterface cpu = cpus[vcpu];
        if (v3 && cpu.processorSleep()) {
            return null;
        }
        int groups = distributor.groupEnables() & ((cpu.enableGroup0() ? 1 : 0) | (cpu.enableGroup1() ? 2 : 0));
        if (groups == 0) {
            return null;
        }
        int best = -1;
        int bestPriority = Integer.MAX_VALUE;
        for (int intid = 0; intid < distributor.lineCount(); intid++) {
            int s = distributor.slot(vcpu, intid);
            if (!distributor.enabledSlot(s) || distributor.activeSlot(s) || !distributor.pending(s)) {
                continue;
            }
            if ((groups & (distributor.group1Slot(s) ? 2 : 1)) == 0) {
                continue;
            }
            if (intid >= GicDistributor.PRIVATE && !distributor.targets(vcpu, intid)) {
                continue;
            }
            int p = distributor.prioritySlot(s);
            if (p < bestPriority) {
                bestPriority = p;
                best = intid;
            }
        }
        if (best < 0) {
            return null;
        }
        int source = 0;
        if (!v3 && best < GicDistributor.SGIS) {
            source = Integer.numberOfTrailingZeros(distributor.sgiSources(vcpu, best));
        }
        return new PendingInterrupt(best, source, bestPriority, distributor.isGroup1(vcpu, best));
    }

    /**
     * @return whether the interrupt gets past the priority mask and preempts the running priority:
     *         priority below PMR and group priority below the running priority (numerically)
     */
    public boolean canSignal(int vcpu, PendingInterrupt irq) {
        GicCpuInterface cpu = cpuInterface(vcpu);
        return irq.priority() < cpu.pmr() && cpu.groupPriority(irq.priority(), irq.group1()) < cpu.runningPriority();
    }

    /** @return whether the interrupt would be signalled as FIQ rather than IRQ on that VCPU */
    boolean signalsAsFiq(int vcpu, PendingInterrupt irq) {
        if (v3) {
            return !irq.group1();
        }
        return !irq.group1() && cpus[vcpu].fiqEn();
    }

    /**
     * Acknowledge: the interrupt becomes active, its edge latch (or one SGI source) is consumed and its
     * group priority becomes active on the CPU interface.
     */
    void activate(int vcpu, PendingInterrupt irq) {
        int intid = irq.intid();
        if (!v3 && intid < GicDistributor.SGIS) {
            distributor.removeSgiSources(vcpu, intid, 1 << irq.sourceCpu());
        } else {
            distributor.setLatched(vcpu, intid, false);
        }
        distributor.setActive(vcpu, intid, true);
        cpus[vcpu].pushPriority(cpus[vcpu].groupPriority(irq.priority(), irq.group1()), irq.group1());
    }

    /**
     * End of interrupt: drops the running priority and, unless EOImode is set for the interrupt's group,
     * deactivates it. INTIDs 1020-1023 and unimplemented ones are ignored.
     *
     * @param vcpu   the VCPU writing EOIR
     * @param intid  the INTID written
     * @param group1 which group's EOI register, for the EOImode choice
     */
    void endOfInterrupt(int vcpu, int intid, boolean group1) {
        if (!distributor.implemented(intid)) {
            return;
        }
        GicCpuInterface cpu = cpus[vcpu];
        cpu.dropPriority();
        if (!cpu.eoiMode(group1)) {
            distributor.setActive(vcpu, intid, false);
        }
    }

    /**
     * Deactivation through DIR; only meaningful with EOImode set (the specifications leave DIR
     * UNPREDICTABLE otherwise, and it is ignored here).
     */
    void deactivate(int vcpu, int intid) {
        if (distributor.implemented(intid) && cpus[vcpu].eoiMode(distributor.isGroup1(vcpu, intid))) {
            distributor.setActive(vcpu, intid, false);
        }
    }

    /**
     * @param vcpu a VCPU index
     * @return whether its IRQ output is asserted: an enabled pending interrupt above PMR and the running
     *         priority, in a group enabled at distributor and CPU interface, signalled as IRQ
     */
    public boolean irqPending(int vcpu) {
        checkVcpu(vcpu);
        flush();
        return irqOut[vcpu];
    }

    /** @return whether the VCPU's FIQ output is asserted */
    public boolean fiqPending(int vcpu) {
        checkVcpu(vcpu);
        flush();
        return fiqOut[vcpu];
    }

    /** Recomputes the outputs of VCPUs whose inputs changed and tells the listener about changed outputs. */
    void flush() {
        for (int v = 0; v < cpus.length; v++) {
            if (!dirty.take(v)) {
                continue;
            }
            PendingInterrupt top = highestPending(v);
            boolean irq = false;
            boolean fiq = false;
            if (top != null && canSignal(v, top)) {
                fiq = signalsAsFiq(v, top);
                irq = !fiq;
            }
            if (irq != irqOut[v] || fiq != fiqOut[v]) {
                irqOut[v] = irq;
                fiqOut[v] = fiq;
                listener.outputsChanged(v, irq, fiq);
            }
        }
    }

    void checkVcpu(int vcpu) {
        if (vcpu < 0 || vcpu >= cpus.length) {
            throw new IllegalArgumentException("no VCPU " + vcpu + " (this GIC has " + cpus.length + ")");
        }
    }
}
