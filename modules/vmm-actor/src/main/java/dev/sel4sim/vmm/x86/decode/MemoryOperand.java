package dev.sel4sim.vmm.x86.decode;

/** A second memory location: the destination of MOVS. */
public record MemoryOperand(Address address) implements Operand {
    @Override
    public String toString() {
        return address.toString();
    }
}
