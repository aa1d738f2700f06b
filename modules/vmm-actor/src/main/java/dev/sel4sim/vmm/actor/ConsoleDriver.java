package dev.sel4sim.vmm.actor;

/**
 * Sees every byte a VM writes to its console, on the VM's own thread, and may answer with
 * input. Because it runs inside the VM's loop, input it gives is delivered at the same
 * simulated time on every run: an expect script is deterministic in a deterministic VM.
 */
public interface ConsoleDriver {
    /** A byte of console output. */
    void output(int b);

    /** Input to give the VM now, or null. Polled between slices. */
    byte[] input();
}
