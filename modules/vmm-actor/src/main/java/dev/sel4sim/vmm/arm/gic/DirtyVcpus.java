package dev.sel4sim.vmm.arm.gic;

import java.util.Arrays;

/** Which VCPUs' interrupt outputs must be recomputed before the GIC next answers the VMM. */
final class DirtyVcpus {

    private final boolean[] dirty;

    DirtyVcpus(int vcpus) {
        dirty = new boolean[vcpus];
        markAll();
    }

    void mark(int vcpu) {
        dirty[vcpu] = true;
    }

    void markAll() {
        Arrays.fill(dirty, true);
    }

    /** @return whether it was dirty; it is clean afterwards */
    boolean take(int vcpu) {
        boolean was = dirty[vcpu];
        dirty[vcpu] = false;
        return was;
    }
}
