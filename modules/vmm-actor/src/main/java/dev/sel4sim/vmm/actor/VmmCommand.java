package dev.sel4sim.vmm.actor;

/** What a VMM actor is told. */
public sealed interface VmmCommand {
    /** Run the VM's next slices (the actor sends this to itself between batches). */
    record Step() implements VmmCommand {
    }

    /** The idle wait of a paced VM is over. */
    record Wake() implements VmmCommand {
    }

    /** Bytes typed at the VM's console. */
    record Input(byte[] bytes) implements VmmCommand {
    }

    /** Stop the VM (the system is shutting down or a test is done). */
    record Shutdown(String why) implements VmmCommand {
    }
}
