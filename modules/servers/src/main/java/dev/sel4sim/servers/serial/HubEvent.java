package dev.sel4sim.servers.serial;

import org.apache.pekko.util.ByteString;

/** What flows inside the {@link SerialHub}: towards the screen, or keystrokes towards a client. */
sealed interface HubEvent {
    /** A chunk of a client's output. */
    record Output(String client, ByteString bytes) implements HubEvent {}

    /** A client's output stream failed; the screen says so and the others go on. */
    record Failed(String client, Throwable cause) implements HubEvent {}

    /** A line of the multiplexer's own. */
    record Notice(String text) implements HubEvent {}

    /** Keystrokes for one client. */
    record Keys(String client, ByteString bytes) implements HubEvent {}
}
