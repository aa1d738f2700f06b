package dev.sel4sim.vmm.cpu;

import java.lang.foreign.MemorySegment;

/**
 * One AArch64 virtual CPU as the VMM drives it: registers, memory mappings, and slices
 * of guest execution that end at an instruction budget, a stop request, an interrupt
 * window or a hook's decision. An instance belongs to one VCPU and is used by one thread
 * at a time, except {@link #requestStop()}, which any thread may call.
 */
public interface Arm64Cpu extends AutoCloseable {

    /** Maps host memory (guest RAM, shared between the VCPUs of a VM) at a guest-physical address. */
    void mapRam(long guestPhys, MemorySegment memory, boolean executable);

    /** Maps a device region whose accesses go to {@code handler}. */
    void mapMmio(long guestPhys, long size, MmioHandler handler);

    long x(int n);

    void setX(int n, long value);

    long pc();

    void setPc(long value);

    /** The stack pointer of the current exception level and SP selection. */
    long sp();

    void setSp(long value);

    /** PSTATE as SPSR lays it out (NZCV, DAIF, mode bits). */
    long pstate();

    /**
     * Sets PSTATE. Changing the exception level this way does not bank the stack
     * pointers: callers save and restore SP_EL0/SP_EL1 themselves.
     */
    void setPstate(long value);

    long sysReg(SysReg reg);

    void setSysReg(SysReg reg, long value);

    /** Low and high halves of SIMD register Vn. */
    long[] vreg(int n);

    void setVreg(int n, long low, long high);

    /**
     * Translates a guest virtual address with the VCPU's current MMU state, for a read
     * ({@code fetch} false) or an instruction fetch; -1 when the translation faults.
     */
    long translate(long va, boolean fetch);

    /** Reads the 32-bit instruction at a guest virtual address, or -1 when it cannot be fetched. */
    long instructionAt(long va);

    /** Runs guest code from the current PC for at most {@code maxInstructions}. */
    SliceResult run(long maxInstructions);

    /** Ends the running slice at the next translated block; safe from any thread. */
    void requestStop();

    /** Ends the slice as soon as the guest clears PSTATE.I (an interrupt waits for it). */
    void setIrqWindow(boolean waiting);

    /** Guest instructions executed so far by this VCPU. */
    long instructions();

    /** TLBI instructions this VCPU has executed (other VCPUs must drop their TLBs after one). */
    long tlbInvalidations();

    /** IC invalidations this VCPU has executed (other VCPUs must drop their translated code after one). */
    long codeInvalidations();

    /** Forgets translated code for a guest-physical range (after another VCPU invalidated it). */
    void invalidateCode(long guestPhys, long size);

    /** Forgets cached address translations (after a TLBI elsewhere); translated code stays. */
    void flushTlb();

    /** Forgets all translated code and cached translations. */
    void flushAll();

    /**
     * Whether a slice ends right after the guest executes WFE or YIELD ({@link SliceResult.Reason#HINT}).
     * Worth it when other VCPUs could run: the guest is waiting for one of them.
     */
    void yieldOnHint(boolean on);

    /** Slices that ended after WFE or YIELD (statistics). */
    long hintStops();

    @Override
    void close();
}
