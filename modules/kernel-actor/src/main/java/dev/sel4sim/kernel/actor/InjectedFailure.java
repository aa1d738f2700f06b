package dev.sel4sim.kernel.actor;

/** The exception a {@link Control.Crash} raises inside a component. */
public final class InjectedFailure extends RuntimeException {
    public InjectedFailure(String reason) {
        super("injected failure: " + reason, null, false, false);
    }
}
