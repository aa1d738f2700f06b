package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.run.VmStop;

/**
 * The VMM's answer to HVC and SMC calls (PSCI, SMCCC, the SMC policy). Arguments are
 * x0-x3 of the calling VCPU; the handler writes its results back and may change the
 * power state of VCPUs or stop the VM.
 */
public interface Hypercalls {
    VmStop call(ArmVm vm, ArmVcpu caller, boolean smc);
}
