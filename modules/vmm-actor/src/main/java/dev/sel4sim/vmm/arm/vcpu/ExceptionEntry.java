package dev.sel4sim.vmm.arm.vcpu;

import dev.sel4sim.vmm.cpu.Arm64Cpu;
import dev.sel4sim.vmm.cpu.SysReg;

/**
 * Takes an exception to EL1 on behalf of a CPU back end that never vectors one itself:
 * saves PSTATE and the return address, sets ESR/FAR, switches to EL1h with DAIF masked,
 * banks the stack pointer by hand and jumps into the guest's vector table.
 *
 * <p>Order matters on Unicorn: PSTATE first, then SP, then a system register, then PC,
 * or the back end keeps running at the old exception level.
 */
public final class ExceptionEntry {
    /** Offsets of the four vector kinds within a group of the table. */
    public enum Kind {
        SYNC(0x000), IRQ(0x080), FIQ(0x100), SERROR(0x180);

        final int offset;

        Kind(int offset) {
            this.offset = offset;
        }
    }

    private static final long PSTATE_EL1H = 0x5;
    private static final long DAIF = 0x3c0;
    private static final long PAN = 1L << 22;

    private ExceptionEntry() {
    }

    /**
     * Takes {@code kind} to EL1.
     *
     * @param returnAddress what ELR_EL1 gets (the preferred return address)
     * @param esr           ESR_EL1 for a synchronous exception (ignored for IRQ/FIQ)
     * @param far           FAR_EL1, or -1 to leave it unchanged
     * @return the vector address the guest continues at
     */
    public static long take(Arm64Cpu cpu, Kind kind, long returnAddress, long esr, long far) {
        long old = cpu.pstate();
        int el = (int) ((old >> 2) & 3);
        boolean spx = (old & 1) != 0;
        long vbar = cpu.sysReg(SysReg.VBAR_EL1);
        long group;
        if (el == 0) {
            group = 0x400;
        } else if (spx) {
            group = 0x200;
        } else {
            group = 0x000;
        }
        long sp = cpu.sp();
        long newSp;
        if (el == 1 && spx) {
            newSp = sp;
        } else {
            // The running stack was SP_EL0; keep it there and switch to SP_EL1.
            cpu.setSysReg(SysReg.SP_EL0, sp);
            newSp = cpu.sysReg(SysReg.SP_EL1);
        }
        // The CPU models used (Cortex-A53/A57/A72) are ARMv8.0: no PAN to set on entry.
        long next = (old & (0xf000_0000L | PAN)) | DAIF | PSTATE_EL1H;
        cpu.setPstate(next);
        cpu.setSp(newSp);
        cpu.setSysReg(SysReg.SPSR_EL1, old);
        cpu.setSysReg(SysReg.ELR_EL1, returnAddress);
        if (kind == Kind.SYNC) {
            cpu.setSysReg(SysReg.ESR_EL1, esr);
        }
        if (far != -1) {
            cpu.setSysReg(SysReg.FAR_EL1, far);
        }
        long target = vbar + group + kind.offset;
        cpu.setPc(target);
        return target;
    }

    /** ESR_EL1 for a synchronous exception: exception class, IL (32-bit instruction) set, ISS. */
    public static long esr(int ec, long iss) {
        return ((long) ec << 26) | (1L << 25) | (iss & 0x1ff_ffffL);
    }
}
