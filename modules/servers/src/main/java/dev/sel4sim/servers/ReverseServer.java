package dev.sel4sim.servers;

import dev.sel4sim.kernel.Syscalls;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.ipc.Message;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * An RPC server (kind {@code reverse}) that answers each call with its text reversed, like the
 * camkes StringReverse component but over plain IPC. {@code workNs} of simulated execution is
 * charged to its scheduling context per request.
 */
public final class ReverseServer {
    private ReverseServer() {
    }

    public static Behavior<KernelEvent> create(Syscalls sys, Wiring wiring, String endpoint, long workNs) {
        long ep = wiring.cap(endpoint);
        return Behaviors.receiveMessage(ev -> {
            switch (ev) {
                case KernelEvent.Started s -> sys.recv(ep);
                case KernelEvent.IpcReceived m -> {
                    sys.compute(workNs);
                    String reversed = new StringBuilder(m.message().string()).reverse().toString();
                    sys.replyRecv(ep, Message.ofString(0, reversed));
                }
                default -> { }
            }
            return Behaviors.same();
        });
    }
}
