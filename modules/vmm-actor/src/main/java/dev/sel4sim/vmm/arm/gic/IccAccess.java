package dev.sel4sim.vmm.arm.gic;

import dev.sel4sim.vmm.cpu.SysReg;
import dev.sel4sim.vmm.arm.SysRegResult;

/** Decodes the GICv3 ICC_* system registers onto a VCPU's CPU interface. */
final class IccAccess {

    /** ICC_SRE_EL1: SRE, DFB and DIB fixed at one; the memory-mapped interface is not offered. */
    static final long SRE_VALUE = 0b111;
    /** ICC_CTLR_EL1 bits a guest may write: CBPR [0], EOImode [1]. */
    private static final long CTLR_WRITABLE = 0b11;
    /** ICC_CTLR_EL1 read-only part: PRIbits [10:8] = bits - 1, IDbits [13:11] = 0 (16), A3V [15], RSS [18]. */
    private static final long CTLR_FIXED = ((GicPriority.BITS - 1L) << 8) | (1L << 15) | (1L << 18);

    private IccAccess() {
    }

    static SysRegResult read(GicV3 gic, int vcpu, SysReg reg) {
        GicCore core = gic.core();
        GicCpuInterface c = core.cpuInterface(vcpu);
        if (!Icc.isIcc(reg)) {
            return new SysRegResult.Unknown(reg);
        }
        if (isActivePriority(reg)) {
            return SysRegResult.value(activePriority(c, reg));
        }
        if (reg.equals(Icc.PMR_EL1)) {
            return SysRegResult.value(c.pmr());
        } else if (reg.equals(Icc.IAR1_EL1)) {
            return SysRegResult.value(acknowledge(core, vcpu, true));
        } else if (reg.equals(Icc.IAR0_EL1)) {
            return SysRegResult.value(acknowledge(core, vcpu, false));
        } else if (reg.equals(Icc.HPPIR1_EL1)) {
            return SysRegResult.value(highestPending(core, vcpu, true));
        } else if (reg.equals(Icc.HPPIR0_EL1)) {
            return SysRegResult.value(highestPending(core, vcpu, false));
        } else if (reg.equals(Icc.BPR0_EL1)) {
            return SysRegResult.value(c.bpr0());
        } else if (reg.equals(Icc.BPR1_EL1)) {
            return SysRegResult.value(c.cbpr() ? c.bpr0() : c.bpr1());
        } else if (reg.equals(Icc.RPR_EL1)) {
            return SysRegResult.value(c.runningPriority());
        } else if (reg.equals(Icc.CTLR_EL1)) {
            return SysRegResult.value(CTLR_FIXED | (c.cbpr() ? 1 : 0) | (c.eoiMode(true) ? 2 : 0));
        } else if (reg.equals(Icc.SRE_EL1)) {
            return SysRegResult.value(SRE_VALUE);
        } else if (reg.equals(Icc.IGRPEN0_EL1)) {
            return SysRegResult.value(c.enableGroup0() ? 1 : 0);
        } else if (reg.equals(Icc.IGRPEN1_EL1)) {
            return SysRegResult.value(c.enableGroup1() ? 1 : 0);
        } else if (reg.equals(Icc.EOIR0_EL1) || reg.equals(Icc.EOIR1_EL1) || reg.equals(Icc.DIR_EL1)
                || reg.equals(Icc.SGI0R_EL1) || reg.equals(Icc.SGI1R_EL1) || reg.equals(Icc.ASGI1R_EL1)) {
            return new SysRegResult.Refused(reg, "write-only GIC CPU interface register");
        }
        return new SysRegResult.Unknown(reg);
    }

    static SysRegResult write(GicV3 gic, int vcpu, SysReg reg, long value) {
        GicCore core = gic.core();
        GicCpuInterface c = core.cpuInterface(vcpu);
        if (!Icc.isIcc(reg)) {
            return new SysRegResult.Unknown(reg);
        }
        if (isActivePriority(reg)) {
            if (reg.equals(Icc.AP0R0_EL1)) {
                c.setActivePriorities0((int) value);
            } else if (reg.equals(Icc.AP1R0_EL1)) {
                c.setActivePriorities1((int) value);
            }
            return SysRegResult.WRITTEN;
        }
        if (reg.equals(Icc.PMR_EL1)) {
            c.setPmr((int) value & 0xFF);
        } else if (reg.equals(Icc.EOIR1_EL1)) {
            core.endOfInterrupt(vcpu, (int) value & 0xFF_FFFF, true);
        } else if (reg.equals(Icc.EOIR0_EL1)) {
            core.endOfInterrupt(vcpu, (int) value & 0xFF_FFFF, false);
        } else if (reg.equals(Icc.DIR_EL1)) {
            core.deactivate(vcpu, (int) value & 0xFF_FFFF);
        } else if (reg.equals(Icc.BPR0_EL1)) {
            c.setBpr0((int) value);
        } else if (reg.equals(Icc.BPR1_EL1)) {
            if (!c.cbpr()) {
                c.setBpr1((int) value);
            }
        } else if (reg.equals(Icc.CTLR_EL1)) {
            c.setCbpr((value & 1) != 0);
            c.setEoiMode(false, (value & 2) != 0);
            c.setEoiMode(true, (value & 2) != 0);
        } else if (reg.equals(Icc.SRE_EL1)) {
            // SRE is fixed at one; the write has no effect.
            return SysRegResult.WRITTEN;
        } else if (reg.equals(Icc.IGRPEN0_EL1)) {
            c.setEnableGroup0((value & 1) != 0);
        } else if (reg.equals(Icc.IGRPEN1_EL1)) {
            c.setEnableGroup1((value & 1) != 0);
        } else if (reg.equals(Icc.SGI1R_EL1)) {
            gic.sendSgi(vcpu, value, true);
        } else if (reg.equals(Icc.SGI0R_EL1)) {
            gic.sendSgi(vcpu, value, false);
        } else if (reg.equals(Icc.ASGI1R_EL1)) {
            // With one security state there is no other group 1 to signal.
            return SysRegResult.WRITTEN;
        } else if (reg.equals(Icc.IAR0_EL1) || reg.equals(Icc.IAR1_EL1) || reg.equals(Icc.HPPIR0_EL1)
                || reg.equals(Icc.HPPIR1_EL1) || reg.equals(Icc.RPR_EL1)) {
            return new SysRegResult.Refused(reg, "read-only GIC CPU interface register");
        } else {
            return new SysRegResult.Unknown(reg);
        }
        return SysRegResult.WRITTEN;
    }

    /** ICC_AP0R<n>_EL1 (CRm 8, op2 4..7) and ICC_AP1R<n>_EL1 (CRm 9, op2 0..3). */
    private static boolean isActivePriority(SysReg reg) {
        return (reg.crn() == 12 && reg.crm() == 8 && reg.op2() >= 4) || (reg.crn() == 12 && reg.crm() == 9 && reg.op2() <= 3);
    }

    /** With 5 priority bits only AP0R0 and AP1R0 hold state; the others read as zero and ignore writes. */
    private static long activePriority(GicCpuInterface c, SysReg reg) {
        if (reg.equals(Icc.AP0R0_EL1)) {
            return c.activePriorities0() & 0xFFFF_FFFFL;
        }
        if (reg.equals(Icc.AP1R0_EL1)) {
            return c.activePriorities1() & 0xFFFF_FFFFL;
        }
        return 0;
    }

    /** ICC_IAR0/1_EL1: takes the highest-priority interrupt if it can be signalled and is in that group. */
    private static int acknowledge(GicCore core, int vcpu, boolean group1) {
        PendingInterrupt top = core.highestPending(vcpu);
        if (top == null || top.group1() != group1 || !core.canSignal(vcpu, top)) {
            return GicDistributor.SPURIOUS;
        }
        core.activate(vcpu, top);
        return top.intid();
    }

    private static int highestPending(GicCore core, int vcpu, boolean group1) {
        PendingInterrupt top = core.highestPending(vcpu);
        return top == null || top.group1() != group1 ? GicDistributor.SPURIOUS : top.intid();
    }
}
