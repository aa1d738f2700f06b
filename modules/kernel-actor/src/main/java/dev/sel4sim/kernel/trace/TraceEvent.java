package dev.sel4sim.kernel.trace;

/**
 * One observable kernel event: an IPC, a signal, an IRQ, a fault, a denial. Every capability
 * invocation that crosses components leaves one, so users can watch a whole system.
 */
public record TraceEvent(long timeNs, Kind kind, String from, String to, String detail) {
    public enum Kind { SEND, CALL, REPLY, RECV, SIGNAL, WAIT, IRQ, FAULT, DENIED, CAP_OP, RETYPE, LIFECYCLE, INJECTED }

    @Override
    public String toString() {
        return String.format("%12.6f ms %-9s %s -> %s %s", timeNs / 1e6, kind, from, to, detail);
    }
}
