package dev.sel4sim.servers;

import dev.sel4sim.kernel.SysResult;
import dev.sel4sim.kernel.Syscalls;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.ipc.Message;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A serial component (kind {@code serial}): prints each message it receives, prefixed by the
 * client the badge identifies. Clients Send or Call with text packed by {@link Message#ofString};
 * a Call gets an empty reply once the line is written.
 */
public final class SerialServer {
    private SerialServer() {
    }

    public static Behavior<KernelEvent> create(Syscalls sys, Wiring wiring, String endpoint, Console console) {
        long ep = wiring.cap(endpoint);
        return Behaviors.receiveMessage(ev -> {
            switch (ev) {
                case KernelEvent.Started s -> sys.recv(ep);
                case KernelEvent.IpcReceived m -> {
                    console.line("[" + wiring.client(endpoint, m.badge()) + "] " + m.message().string());
                    SysResult r = m.call() ? sys.replyRecv(ep, Message.EMPTY) : sys.recv(ep);
                    if (r.isError()) {
                        console.line("[serial] receive failed: " + r);
                    }
                }
                default -> { }
            }
            return Behaviors.same();
        });
    }
}
