package dev.sel4sim.vmm.cpu;

/**
 * A device region's register accesses, called on the thread running the VCPU that
 * accessed it, while that VCPU is stopped inside the access. Offsets are from the
 * region's base; sizes are 1, 2, 4 or 8 bytes.
 */
public interface MmioHandler {
    long read(int vcpu, long offset, int size);

    void write(int vcpu, long offset, int size, long value);
}
