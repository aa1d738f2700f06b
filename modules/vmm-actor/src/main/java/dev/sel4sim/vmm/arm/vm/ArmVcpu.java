package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.run.VmClock;
import dev.sel4sim.vmm.run.VmStop;
import dev.sel4sim.vmm.arm.SysRegTrap;
import dev.sel4sim.vmm.arm.vcpu.ExceptionEntry;
import dev.sel4sim.vmm.cpu.Arm64Cpu;
import dev.sel4sim.vmm.cpu.ArmExceptionNumbers;
import dev.sel4sim.vmm.cpu.CpuHooks;
import dev.sel4sim.vmm.cpu.SliceResult;
import dev.sel4sim.vmm.cpu.SysReg;

/**
 * One AArch64 VCPU of a VM: runs guest code in slices and handles what the CPU back end
 * hands back. Exceptions that belong to the guest (its system calls, its own page faults,
 * BRK, undefined instructions) are emulated here as the hardware would take them; what
 * belongs to the VMM (HVC/SMC calls, accesses outside RAM and devices, timer and GIC system
 * registers, WFI) goes to the {@link ArmVm}.
 */
public final class ArmVcpu implements CpuHooks {
    /** Power and run state as PSCI sees it. */
    public enum Power { OFF, ON }

    private final int id;
    private final ArmVm vm;
    private Arm64Cpu cpu;
    private Power power = Power.OFF;
    private boolean parked;
    /** Its last slice ended on WFE/YIELD and no other VCPU has run since. */
    private boolean waiting;
    private int pendingException = -1;
    /** This VCPU's simulated time at the start of the running slice (ns). */
    private long timeNs;
    private long sliceStartInstructions;
    private long exits;
    private long sysregTraps;
    private long injectedIrqs;

    ArmVcpu(int id, ArmVm vm) {
        this.id = id;
        this.vm = vm;
    }

    void attach(Arm64Cpu cpu) {
        this.cpu = cpu;
    }

    public int id() {
        return id;
    }

    public Arm64Cpu cpu() {
        return cpu;
    }

    public Power power() {
        return power;
    }

    public boolean parked() {
        return parked;
    }

    boolean waiting() {
        return waiting;
    }

    void stopWaiting() {
        waiting = false;
    }

    /** System-register accesses the VMM emulated (timer, MPIDR). */
    public long sysregTraps() {
        return sysregTraps;
    }

    public long exits() {
        return exits;
    }

    public long injectedIrqs() {
        return injectedIrqs;
    }

    void powerOn(long entry, long contextId) {
        cpu.setPstate(0x3c5);
        cpu.setSysReg(SysReg.SCTLR_EL1, cpu.sysReg(SysReg.SCTLR_EL1) & ~1L);
        for (int i = 0; i < 31; i++) {
            cpu.setX(i, 0);
        }
        cpu.setX(0, contextId);
        cpu.setPc(entry);
        power = Power.ON;
        parked = false;
    }

    void powerOff() {
        power = Power.OFF;
        parked = false;
    }

    /** Simulated time now, as this VCPU sees it (exact inside a slice in deterministic mode). */
    public long now() {
        return vm.clock() == VmClock.PACED ? vm.hostNow()
                : timeNs + (cpu.instructions() - sliceStartInstructions) * vm.nsPerInstruction();
    }

    long sliceTime() {
        return timeNs;
    }

    void advanceTo(long ns) {
        if (ns > timeNs) {
            timeNs = ns;
        }
    }

    private long idleCredit;

    /** Instructions this VCPU is credited with for time it spent parked (paced fairness). */
    long idleCredit() {
        return idleCredit;
    }

    /** Makes this VCPU's fair-share count at least {@code runCount}. */
    void creditIdle(long runCount) {
        long mine = cpu.instructions() - idleCredit;
        if (mine < runCount) {
            idleCredit += mine - runCount;
        }
    }

    void unpark() {
        parked = false;
    }

    /**
     * Runs one slice of at most {@code budget} instructions and handles how it ended.
     * Returns null while the VM goes on, or why it must stop.
     */
    VmStop runSlice(long budget) {
        if (vm.clock() == VmClock.PACED) {
            timeNs = vm.hostNow();
        }
        deliverInterrupts();
        pendingException = -1;
        sliceStartInstructions = cpu.instructions();
        SliceResult r = cpu.run(budget);
        long executed = cpu.instructions() - sliceStartInstructions;
        if (vm.clock() == VmClock.DETERMINISTIC) {
            timeNs += executed * vm.nsPerInstruction();
        } else {
            timeNs = vm.hostNow();
        }
        sliceStartInstructions = cpu.instructions();
        waiting = false;
        switch (r.reason()) {
            case DEADLINE, IRQ_WINDOW -> {
                return null;
            }
            case HINT -> {
                // WFE/YIELD: it waits for another VCPU, which should run before this one spins again.
                waiting = true;
                return null;
            }
            case HALTED -> {
                exits++;
                // WFI: sleep until an interrupt or the next timer deadline.
                if (!vm.irqPending(this)) {
                    parked = true;
                }
                return null;
            }
            case ERROR -> {
                if (r.unmapped() != SliceResult.Unmapped.NONE) {
                    // The access reached no RAM and no device: a stage-2 fault, decided by the VMM's policy.
                    exits++;
                    return r.unmapped() == SliceResult.Unmapped.FETCH ? vm.faults().prefetchAbort(this, cpu.pc())
                            : vm.faults().dataAbort(this, cpu.pc());
                }
                return new VmStop.Faulted(id, r.error());
            }
            case REQUESTED -> {
                if (pendingException >= 0) {
                    exits++;
                    int intno = pendingException;
                    pendingException = -1;
                    return handleException(intno);
                }
                return null;
            }
        }
        return null;
    }

    /** Takes a pending, unmasked IRQ into the guest; arms the interrupt window otherwise. */
    void deliverInterrupts() {
        if (!vm.irqPending(this)) {
            cpu.setIrqWindow(false);
            return;
        }
        if ((cpu.pstate() & 0x80) == 0) {
            cpu.setIrqWindow(false);
            injectedIrqs++;
            ExceptionEntry.take(cpu, ExceptionEntry.Kind.IRQ, cpu.pc(), 0, -1);
        } else {
            cpu.setIrqWindow(true);
        }
    }

    private int currentEl() {
        return (int) ((cpu.pstate() >> 2) & 3);
    }

    private VmStop handleException(int intno) {
        long pc = cpu.pc();
        switch (intno) {
            case ArmExceptionNumbers.SVC -> {
                long insn = cpu.instructionAt(pc - 4);
                int imm = insn < 0 ? 0 : (int) ((insn >> 5) & 0xffff);
                ExceptionEntry.take(cpu, ExceptionEntry.Kind.SYNC, pc, ExceptionEntry.esr(0x15, imm), -1);
                return null;
            }
            case ArmExceptionNumbers.HVC -> {
                return vm.hypercall(this, false);
            }
            case ArmExceptionNumbers.SMC -> {
                return vm.hypercall(this, true);
            }
            case ArmExceptionNumbers.BREAKPOINT -> {
                long insn = cpu.instructionAt(pc);
                int imm = insn < 0 ? 0 : (int) ((insn >> 5) & 0xffff);
                ExceptionEntry.take(cpu, ExceptionEntry.Kind.SYNC, pc, ExceptionEntry.esr(0x3c, imm), -1);
                return null;
            }
            case ArmExceptionNumbers.UNDEFINED -> {
                return undefined(pc);
            }
            case ArmExceptionNumbers.DATA_ABORT -> {
                return vm.faults().dataAbort(this, pc);
            }
            case ArmExceptionNumbers.PREFETCH_ABORT -> {
                return vm.faults().prefetchAbort(this, pc);
            }
            default -> {
                return new VmStop.Faulted(id, ArmExceptionNumbers.name(intno) + " at pc 0x" + Long.toHexString(pc)
                        + " is not emulated");
            }
        }
    }

    private VmStop undefined(long pc) {
        long insn = cpu.instructionAt(pc);
        // MRS/MSR (register): the GICv3 CPU interface lives in system registers Unicorn lacks.
        var trap = insn < 0 ? java.util.Optional.<SysRegTrap>empty() : SysRegTrap.fromInstruction((int) insn);
        if (trap.isPresent()) {
            SysRegTrap t = trap.get();
            if (currentEl() == 1 && vm.gicSystemRegister(this, t.read(), t.rt(), t.reg())) {
                cpu.setPc(pc + 4);
                return null;
            }
            if (currentEl() == 0) {
                // Trapped system register access from EL0 (EC 0x18): Linux emulates some (CTR, ID registers).
                ExceptionEntry.take(cpu, ExceptionEntry.Kind.SYNC, pc, ExceptionEntry.esr(0x18, t.iss()), -1);
                return null;
            }
        }
        ExceptionEntry.take(cpu, ExceptionEntry.Kind.SYNC, pc, ExceptionEntry.esr(0x00, 0), -1);
        return null;
    }

    // ---- CpuHooks (called on this VCPU's thread while it runs) --------------------------

    @Override
    public void exception(int intno) {
        pendingException = intno;
        cpu.requestStop();
    }

    @Override
    public boolean systemRegister(boolean read, int rt, SysReg reg) {
        sysregTraps++;
        if (read && reg.equals(SysReg.MPIDR_EL1)) {
            cpu.setX(rt, vm.mpidr(id));
            return true;
        }
        if (reg.op0() == 3 && reg.crn() == 14) {
            boolean handled = vm.timerRegister(this, read, rt, reg);
            if (handled && !read) {
                // A new deadline may fall inside this slice: end it so the budget is recomputed.
                cpu.requestStop();
            }
            return handled;
        }
        return false;
    }
}
