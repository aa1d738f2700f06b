package dev.sel4sim.vmm.arm.psci;

/** What to do with one SMC or HVC that PSCI does not answer. */
public sealed interface SmcDecision {

    /** Answer in the VMM with fixed values. @param values x0..x3 for the caller */
    record Handle(SmcValues values) implements SmcDecision {
    }

    /** Refuse: the caller gets NOT_SUPPORTED ({@link #X0}) in x0. */
    record Deny() implements SmcDecision {
        /** SMCCC's "unknown function", -1 sign-extended. */
        public static final long X0 = PsciReturn.NOT_SUPPORTED;
    }

    /** Pass the call on to the (simulated) secure monitor. */
    record Forward() implements SmcDecision {
    }

    /** The shared {@link Deny}. */
    SmcDecision DENY = new Deny();
    /** The shared {@link Forward}. */
    SmcDecision FORWARD = new Forward();
}
