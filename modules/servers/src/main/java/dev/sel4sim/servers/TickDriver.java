package dev.sel4sim.servers;

import dev.sel4sim.kernel.SysResult;
import dev.sel4sim.kernel.Syscalls;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.ipc.Message;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A timer driver (kind {@code timer-driver}): waits on the notification its timer IRQ is bound to,
 * acknowledges each interrupt and reports the tick on the serial connection.
 */
public final class TickDriver {
    private TickDriver() {
    }

    public static Behavior<KernelEvent> create(Syscalls sys, Wiring wiring, String irq, String serial) {
        long ntfn = wiring.cap(irq);
        long handler = wiring.cap(irq + ".handler");
        long out = wiring.cap(serial);
        return Behaviors.setup(ctx -> new Object() {
            long ticks;

            Behavior<KernelEvent> behavior() {
                return Behaviors.receiveMessage(ev -> {
                    switch (ev) {
                        case KernelEvent.Started s -> sys.waitFor(ntfn);
                        case KernelEvent.NotificationReceived n -> {
                            ticks++;
                            sys.irqAck(handler);
                            String line = String.format("tick %d at %.1f ms (simulated)", ticks, sys.nowNs() / 1e6);
                            SysResult r = sys.call(out, Message.ofString(2, line));
                            if (r.isError()) {
                                ctx.getLog().warn("{}: serial call failed: {}", sys.name(), r);
                                sys.waitFor(ntfn);
                            }
                        }
                        case KernelEvent.ReplyReceived r -> sys.waitFor(ntfn);
                        default -> { }
                    }
                    return Behaviors.same();
                });
            }
        }.behavior());
    }
}
