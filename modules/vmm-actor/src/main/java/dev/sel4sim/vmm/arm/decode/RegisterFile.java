package dev.sel4sim.vmm.arm.decode;

/** The general-purpose registers of the VCPU that executed the instruction, as the VMM supplies them. */
public interface RegisterFile {
    /** Register Xn for n in 0..30. */
    long x(int n);

    /** The stack pointer of the exception level the instruction ran at. */
    long sp();
}
