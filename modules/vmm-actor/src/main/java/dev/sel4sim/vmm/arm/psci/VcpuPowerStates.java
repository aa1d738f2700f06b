package dev.sel4sim.vmm.arm.psci;

/** The VMM's view of its VCPUs' power states, read by PSCI for CPU_ON and AFFINITY_INFO. */
@FunctionalInterface
public interface VcpuPowerStates {

    /**
     * @param vcpu a VCPU index of the VM
     * @return its power state
     */
    PowerState state(int vcpu);
}
