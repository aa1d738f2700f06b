package dev.sel4sim.servers.time;

import dev.sel4sim.kernel.SysResult;
import dev.sel4sim.kernel.Syscalls;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.ipc.Message;
import dev.sel4sim.servers.Wiring;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A TimeServer client (kind {@code timer-client}): asks for a periodic timeout, waits on its
 * notification, and on each expiry collects the completed timers and reports the time on the
 * serial connection, {@code count} times, then stops its timer. One seL4 thread: each step waits
 * for the previous call's reply.
 *
 * <p>Capabilities: {@code server} (the TimeServer's endpoint), {@code server + ".done"} (the
 * notification the TimeServer signals) and {@code serial}.
 */
public final class TimerClient {
    private TimerClient() {
    }

    public static Behavior<KernelEvent> create(Syscalls sys, Wiring wiring, String server, String serial, long periodNs, int count) {
        long ep = wiring.cap(server);
        long done = wiring.cap(server + ".done");
        long out = wiring.cap(serial);
        return Behaviors.setup(ctx -> new Object() {
            /** What the reply now awaited answers. */
            enum Step { START, COMPLETED, REPORTED, STOPPED }

            Step step = Step.START;
            int expiries;

            Behavior<KernelEvent> behavior() {
                return Behaviors.receiveMessage(ev -> {
                    switch (ev) {
                        case KernelEvent.Started s -> call(ep, new TimeRequest.Periodic(0, periodNs).toMessage(), Step.START);
                        case KernelEvent.NotificationReceived n -> call(ep, new TimeRequest.Completed().toMessage(), Step.COMPLETED);
                        case KernelEvent.ReplyReceived r -> {
                            switch (step) {
                                case START -> {
                                    TimeReply reply = TimeReply.decode(r.message());
                                    if (reply.status() != TimeReply.Status.OK) {
                                        report("time server refused the timer: " + reply.status(), Step.STOPPED);
                                    } else {
                                        sys.waitFor(done);
                                    }
                                }
                                case COMPLETED -> {
                                    expiries++;
                                    String line = String.format("timeout %d at %.1f ms (simulated)", expiries, sys.nowNs() / 1e6);
                                    report(line, Step.REPORTED);
                                }
                                case REPORTED -> {
                                    if (expiries >= count) {
                                        call(ep, new TimeRequest.Stop(0).toMessage(), Step.STOPPED);
                                    } else {
                                        sys.waitFor(done);
                                    }
                                }
                                case STOPPED -> { }
                            }
                        }
                        default -> { }
                    }
                    return Behaviors.same();
                });
            }

            void call(long cap, Message m, Step next) {
                step = next;
                SysResult r = sys.call(cap, m);
                if (r.isError()) {
                    ctx.getLog().warn("{}: call failed: {}", sys.name(), r);
                }
            }

            void report(String line, Step next) {
                call(out, Message.ofString(1, line), next);
            }
        }.behavior());
    }
}
