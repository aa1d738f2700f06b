package dev.sel4sim.vmm.x86.boot;

/** Guest-physical memory as a loader writes it: only RAM, never devices. */
@FunctionalInterface
public interface BootMemory {
    /** Copies {@code data} to guest-physical {@code address}; false when any byte would fall outside RAM. */
    boolean write(long address, byte[] data);
}
