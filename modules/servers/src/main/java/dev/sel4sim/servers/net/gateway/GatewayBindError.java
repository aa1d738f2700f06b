package dev.sel4sim.servers.net.gateway;

/** A forwarded host port could not be bound (usually: already in use). */
public final class GatewayBindError extends IllegalStateException {
    public GatewayBindError(String message, Throwable cause) {
        super(message, cause);
    }
}
