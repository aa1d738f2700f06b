package dev.sel4sim.vmm.x86.cpu;

import dev.sel4sim.vmm.cpu.MmioHandler;

import java.lang.foreign.MemorySegment;

/**
 * One x86 virtual CPU as the VMM drives it: registers, memory mappings and slices of guest
 * execution that end at an instruction budget, a stop request, HLT, an interrupt window or an
 * error. Used by one thread at a time, except {@link #requestStop()}.
 */
public interface X86Cpu extends X86State, AutoCloseable {

    /** Maps host memory at a guest-physical address (page aligned); shared memory stays shared. */
    void mapRam(long guestPhys, MemorySegment memory);

    /** Maps a device region whose accesses go to {@code handler} (the VCPU index passed is this VCPU's). */
    void mapMmio(long guestPhys, long size, MmioHandler handler);

    /** Reads a model-specific register through the engine (RDMSR cannot be trapped). */
    long msr(int index);

    void setMsr(int index, long value);

    /** Runs guest code from the current EIP for at most {@code maxInstructions}. */
    X86SliceResult run(long maxInstructions);

    /** Ends the running slice at the next translated block; safe from any thread. */
    void requestStop();

    /** Ends the slice as soon as the guest sets EFLAGS.IF (an interrupt waits for it). */
    void setIrqWindow(boolean waiting);

    /**
     * Forgets the exception the engine believes is in flight. Call after delivering each exception
     * the engine reported: otherwise the next fault is taken for a double fault.
     */
    void clearExceptionInFlight();

    /**
     * The error code the engine recorded with the last exception it reported (0 when it cannot be
     * read). A #PF's is not trustworthy this way: rebuild it from the page tables.
     */
    int exceptionErrorCode();

    /** Guest instructions counted so far by this VCPU. */
    long instructions();

    @Override
    void close();
}
