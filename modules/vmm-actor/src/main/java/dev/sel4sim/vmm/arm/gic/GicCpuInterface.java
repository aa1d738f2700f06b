package dev.sel4sim.vmm.arm.gic;

/**
 * One VCPU's GIC CPU interface: group enables, priority mask, binary points, EOI mode and the active
 * priorities that give the running priority. The GICv2 GICC_* registers and the GICv3 ICC_* system
 * registers are two views of these fields.
 */
public final class GicCpuInterface {

    private final int vcpu;
    private final DirtyVcpus dirty;

    private boolean enableGroup0;
    private boolean enableGroup1;
    private boolean ackCtl;
    private boolean fiqEn;
    private boolean cbpr;
    private boolean eoiModeGroup0;
    private boolean eoiModeGroup1;
    private int bypassBits;
    private int pmr;
    private int bpr0 = GicPriority.MIN_BPR0;
    private int bpr1 = GicPriority.MIN_BPR1;
    private int activePriorities0;
    private int activePriorities1;
    private boolean processorSleep;

    GicCpuInterface(int vcpu, DirtyVcpus dirty, boolean processorSleep) {
        this.vcpu = vcpu;
        this.dirty = dirty;
        this.processorSleep = processorSleep;
    }

    /** @return the VCPU this interface belongs to */
    public int vcpu() {
        return vcpu;
    }

    /** @return whether group 0 interrupts are forwarded (GICC_CTLR.EnableGrp0, ICC_IGRPEN0_EL1) */
    public boolean enableGroup0() {
        return enableGroup0;
    }

    /** @return whether group 1 interrupts are forwarded (GICC_CTLR.EnableGrp1, ICC_IGRPEN1_EL1) */
    public boolean enableGroup1() {
        return enableGroup1;
    }

    /** @return GICv2 GICC_CTLR.AckCtl: whether GICC_IAR may acknowledge a group 1 interrupt */
    public boolean ackCtl() {
        return ackCtl;
    }

    /** @return GICv2 GICC_CTLR.FIQEn: whether group 0 is signalled as FIQ */
    public boolean fiqEn() {
        return fiqEn;
    }

    /** @return whether the group 0 binary point also decides group 1 preemption */
    public boolean cbpr() {
        return cbpr;
    }

    /**
     * @param group1 which group
     * @return that group's EOImode: whether EOI only drops the priority, leaving deactivation to DIR
     */
    public boolean eoiMode(boolean group1) {
        return group1 ? eoiModeGroup1 : eoiModeGroup0;
    }

    /** @return the priority mask: only interrupts of a numerically lower priority are signalled */
    public int pmr() {
        return pmr;
    }

    /** @return the group 0 binary point (GICC_BPR, ICC_BPR0_EL1) */
    public int bpr0() {
        return bpr0;
    }

    /** @return the group 1 binary point (GICC_ABPR, ICC_BPR1_EL1) */
    public int bpr1() {
        return bpr1;
    }

    /** @return the group 0 active priorities, bit n for group priority {@code n << 3} */
    public int activePriorities0() {
        return activePriorities0;
    }

    /** @return the group 1 active priorities, bit n for group priority {@code n << 3} */
    public int activePriorities1() {
        return activePriorities1;
    }

    /** @return GICv3 GICR_WAKER.ProcessorSleep: while set nothing is forwarded to this interface */
    public boolean processorSleep() {
        return processorSleep;
    }

    /** @return the group priority of the highest-priority active interrupt, or {@link GicPriority#IDLE} */
    public int runningPriority() {
        int all = activePriorities0 | activePriorities1;
        return all == 0 ? GicPriority.IDLE : Integer.numberOfTrailingZeros(all) << (8 - GicPriority.BITS);
    }

    /**
     * @param priority an interrupt's priority
     * @param group1   its group
     * @return the part of the priority that decides preemption, under the binary point of that group
     */
    public int groupPriority(int priority, boolean group1) {
        int bpr = group1 && !cbpr ? bpr1 : bpr0;
        return priority & GicPriority.groupMask(bpr);
    }

    // ---- changes ----

    void setEnableGroup0(boolean on) {
        enableGroup0 = on;
        dirty.mark(vcpu);
    }

    void setEnableGroup1(boolean on) {
        enableGroup1 = on;
        dirty.mark(vcpu);
    }

    void setAckCtl(boolean on) {
        ackCtl = on;
        dirty.mark(vcpu);
    }

    void setFiqEn(boolean on) {
        fiqEn = on;
        dirty.mark(vcpu);
    }

    void setCbpr(boolean on) {
        cbpr = on;
        dirty.mark(vcpu);
    }

    void setEoiMode(boolean group1, boolean on) {
        if (group1) {
            eoiModeGroup1 = on;
        } else {
            eoiModeGroup0 = on;
        }
    }

    /** The GICv2 bypass-disable bits, kept only to be read back. */
    int bypassBits() {
        return bypassBits;
    }

    void setBypassBits(int bits) {
        bypassBits = bits;
    }

    void setPmr(int value) {
        pmr = value & GicPriority.MASK;
        dirty.mark(vcpu);
    }

    /** Values below the minimum binary point are raised to it, as the GIC specifications require. */
    void setBpr0(int value) {
        bpr0 = Math.max(GicPriority.MIN_BPR0, value & 7);
        dirty.mark(vcpu);
    }

    void setBpr1(int value) {
        bpr1 = Math.max(GicPriority.MIN_BPR1, value & 7);
        dirty.mark(vcpu);
    }

    void setActivePriorities0(int bits) {
        activePriorities0 = bits;
        dirty.mark(vcpu);
    }

    void setActivePriorities1(int bits) {
        activePriorities1 = bits;
        dirty.mark(vcpu);
    }

    void setProcessorSleep(boolean on) {
        processorSleep = on;
        dirty.mark(vcpu);
    }

    /** Records an acknowledged interrupt's group priority as active. */
    void pushPriority(int groupPriority, boolean group1) {
        int bit = 1 << GicPriority.level(groupPriority);
        if (group1) {
            activePriorities1 |= bit;
        } else {
            activePriorities0 |= bit;
        }
        dirty.mark(vcpu);
    }

    /** Priority drop: forgets the highest active priority, whichever group holds it. */
    void dropPriority() {
        int all = activePriorities0 | activePriorities1;
        if (all != 0) {
            int lowest = all & -all;
            activePriorities0 &= ~lowest;
            activePriorities1 &= ~lowest;
            dirty.mark(vcpu);
        }
    }
}
