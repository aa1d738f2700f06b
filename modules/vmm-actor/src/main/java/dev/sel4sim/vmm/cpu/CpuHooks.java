package dev.sel4sim.vmm.cpu;

/**
 * What a VCPU's guest code can raise while it runs. Called on the running thread; a
 * callback may end the slice with {@link Arm64Cpu#requestStop()}.
 */
public interface CpuHooks {
    /**
     * An exception the CPU did not take itself (SVC, HVC, SMC, aborts, undefined
     * instructions, WFI ...): {@code intno} is the back end's exception number
     * ({@link ArmExceptionNumbers}).
     */
    void exception(int intno);

    /**
     * An MRS ({@code read}) or MSR of a system register the VMM emulates: the generic timer
     * (op0 3, CRn 14) and MPIDR_EL1; the others run natively without a call. Return true when the access was
     * emulated (for a read, after {@link Arm64Cpu#setX} of {@code rt}); false lets the CPU
     * execute it.
     */
    boolean systemRegister(boolean read, int rt, SysReg reg);
}
