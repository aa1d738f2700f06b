package dev.sel4sim.vmm.run;

/**
 * How a VM's simulated time advances.
 * <ul>
 * <li>{@code DETERMINISTIC}: each VCPU's time is its executed instructions times a fixed
 * cost, plus the idle time WFI skipped; nothing depends on the host, so the same input
 * gives the same console, timestamps included.</li>
 * <li>{@code PACED}: simulated time is the host's monotonic clock since the VM started,
 * for interactive use.</li>
 * </ul>
 */
public enum VmClock {
    DETERMINISTIC, PACED
}
