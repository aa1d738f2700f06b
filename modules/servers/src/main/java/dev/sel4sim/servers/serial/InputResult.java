package dev.sel4sim.servers.serial;

import java.util.List;

/**
 * What a run of keystrokes came to: bytes for clients, and notices (focus switches, help) that
 * the caller puts on the screen with {@link SerialMux#notice} in the order given. Notices are
 * returned as text rather than drawn at once so that a caller with its own screen ordering (the
 * stream hub) draws them in sequence with client output.
 */
public record InputResult(List<Delivery> deliveries, List<String> notices) {
    public InputResult {
        deliveries = List.copyOf(deliveries);
        notices = List.copyOf(notices);
    }
}
