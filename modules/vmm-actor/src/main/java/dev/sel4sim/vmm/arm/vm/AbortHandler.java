package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.run.VmStop;

/**
 * Data and prefetch aborts reported by the CPU back end without syndrome: the handler
 * finds the address and the kind of fault and either emulates the guest's own exception
 * or treats the access as a stage-2 fault for the VMM.
 */
public interface AbortHandler {
    VmStop dataAbort(ArmVcpu vcpu, long pc);

    VmStop prefetchAbort(ArmVcpu vcpu, long pc);
}
