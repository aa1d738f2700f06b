package dev.sel4sim.vmm.arm.dt;

/** The conduit a guest uses for PSCI calls: the {@code method} property of the {@code psci} node. */
public enum PsciMethod {
    /** HVC: handled by the VMM, as a guest under a hypervisor expects. */
    HVC("hvc"),
    /** SMC: forwarded to (or emulated as) the secure monitor. */
    SMC("smc");

    private final String dtValue;

    PsciMethod(String dtValue) {
        this.dtValue = dtValue;
    }

    /** @return the property value, {@code "hvc"} or {@code "smc"} */
    public String dtValue() {
        return dtValue;
    }
}
