package dev.sel4sim.servers.serial;

import java.util.concurrent.CompletionStage;

/**
 * Where the serial server puts the text native components send it over IPC. The stage completes
 * once the multiplexer has taken the bytes; while the terminal is slow it stays pending, and the
 * server takes no further message until it completes, so senders block on the endpoint as they
 * would on hardware.
 */
@FunctionalInterface
public interface SerialOutput {
    CompletionStage<Void> write(String client, byte[] bytes);
}
