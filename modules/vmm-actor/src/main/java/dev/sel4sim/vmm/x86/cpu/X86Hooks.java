package dev.sel4sim.vmm.x86.cpu;

/**
 * What x86 guest code raises that the VMM handles. Called on the thread running the VCPU, inside
 * the instruction; a callback may end the slice with {@link X86Cpu#requestStop()}. Guest input is
 * untrusted: ports, sizes and leaves may be anything.
 */
public interface X86Hooks {
    /** IN from {@code port} of {@code size} bytes (1, 2 or 4); the value zero-extended. */
    int in(int port, int size);

    /** OUT of the low {@code size} bytes of {@code value} to {@code port}. */
    void out(int port, int size, int value);

    /**
     * CPUID with the leaf in EAX and the sub-leaf in ECX. Return true after writing EAX, EBX, ECX and EDX
     * to emulate it; false lets the emulated processor answer.
     */
    boolean cpuid(X86Cpu cpu);

    /**
     * An exception or software interrupt the engine reports instead of delivering it ({@code INT n},
     * faults): {@code vector} is the x86 vector. The VMM delivers it through the guest's IDT, or stops.
     */
    void interrupt(int vector);
}
