package dev.sel4sim.vmm.run;

/** Why a VM stopped running: the guest asked, or the VMM's policy stopped it after a fault. */
public sealed interface VmStop {
    String describe();

    record PoweredOff() implements VmStop {
        public String describe() {
            return "the guest powered off (PSCI SYSTEM_OFF)";
        }
    }

    record Reset() implements VmStop {
        public String describe() {
            return "the guest asked for a reset (PSCI SYSTEM_RESET)";
        }
    }

    record Faulted(int vcpu, String reason) implements VmStop {
        public String describe() {
            return "VCPU " + vcpu + " stopped: " + reason;
        }
    }

    record Stopped(String reason) implements VmStop {
        public String describe() {
            return reason;
        }
    }
}
