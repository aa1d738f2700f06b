package dev.sel4sim.kernel.trace;

/** Receives trace events; called under the kernel lock, so it must be quick and never block. */
@FunctionalInterface
public interface TraceSink {
    void accept(TraceEvent e);

    TraceSink NONE = e -> { };
}
