package dev.sel4sim.servers.time;

import dev.sel4sim.kernel.SysResult;
import dev.sel4sim.kernel.Syscalls;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.ipc.Message;
import java.util.ArrayList;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A time server (kind {@code time-server}) like the camkes TimeServer: clients, identified by the
 * badge of their endpoint cap, Call it to set one-shot and periodic timeouts
 * ({@link TimeRequest}); when one expires, the client's notification is signalled and the client
 * asks which of its timers completed. Time is the simulation's, read through the tick of a
 * periodic timer interrupt: a timeout completes on the first tick at or after its deadline, so
 * its resolution is the tick period.
 */
public final class TimeServer {
    private TimeServer() {
    }

    public static Behavior<KernelEvent> create(Syscalls sys, TimeServerConfig cfg) {
        return Behaviors.setup(ctx -> new Object() {
            final TimeoutTable table = new TimeoutTable(new ArrayList<>(cfg.clients().keySet()), cfg.timersPerClient());

            Behavior<KernelEvent> behavior() {
                return Behaviors.receiveMessage(ev -> {
                    switch (ev) {
                        case KernelEvent.Started s -> {
                            if (cfg.tcb() >= 0) {
                                SysResult r = sys.tcbBindNotification(cfg.tcb(), cfg.tick());
                                // After a restart the binding is still in place.
                                if (r.isError() && s.incarnation() == 0) {
                                    ctx.getLog().warn("{}: binding the tick notification failed: {}", sys.name(), r);
                                }
                            }
                            receive();
                        }
                        case KernelEvent.NotificationReceived n -> {
                            tick();
                            receive();
                        }
                        case KernelEvent.IpcReceived m -> {
                            TimeReply reply = handle(m.badge(), m.message());
                            if (m.call()) {
                                check(sys.replyRecv(cfg.endpoint(), reply.toMessage()));
                            } else {
                                receive();
                            }
                        }
                        default -> { }
                    }
                    return Behaviors.same();
                });
            }

            void tick() {
                sys.irqAck(cfg.irqHandler());
                for (long client : table.expire(sys.nowNs())) {
                    check(sys.signal(cfg.clients().get(client)));
                }
            }

            TimeReply handle(long badge, Message msg) {
                if (!table.knows(badge)) {
                    return TimeReply.error(TimeReply.Status.INVALID_CLIENT);
                }
                TimeRequest req = TimeRequest.decode(msg);
                if (req == null) {
                    return TimeReply.error(TimeReply.Status.UNKNOWN_OPERATION);
                }
                long now = sys.nowNs();
                int timer = switch (req) {
                    case TimeRequest.OneshotRelative r -> r.timer();
                    case TimeRequest.OneshotAbsolute a -> a.timer();
                    case TimeRequest.Periodic p -> p.timer();
                    case TimeRequest.Stop s -> s.timer();
                    default -> 0;
                };
                if (timer < 0 || timer >= table.timersPerClient()) {
                    return TimeReply.error(TimeReply.Status.INVALID_TIMER);
                }
                return switch (req) {
                    case TimeRequest.OneshotRelative r when r.ns() < 0 -> TimeReply.error(TimeReply.Status.INVALID_ARGUMENT);
                    case TimeRequest.OneshotRelative r -> {
                        table.oneshotAt(badge, r.timer(), now + r.ns());
                        yield TimeReply.ok(0);
                    }
                    case TimeRequest.OneshotAbsolute a when a.ns() < 0 -> TimeReply.error(TimeReply.Status.INVALID_ARGUMENT);
                    case TimeRequest.OneshotAbsolute a -> {
                        table.oneshotAt(badge, a.timer(), a.ns());
                        yield TimeReply.ok(0);
                    }
                    case TimeRequest.Periodic p when p.ns() <= 0 -> TimeReply.error(TimeReply.Status.INVALID_ARGUMENT);
                    case TimeRequest.Periodic p -> {
                        table.periodic(badge, p.timer(), p.ns(), now);
                        yield TimeReply.ok(0);
                    }
                    case TimeRequest.Stop s -> {
                        table.stop(badge, s.timer());
                        yield TimeReply.ok(0);
                    }
                    case TimeRequest.Completed c -> TimeReply.ok(table.takeCompleted(badge));
                    case TimeRequest.Time t -> TimeReply.ok(now);
                };
            }

            void receive() {
                check(sys.recv(cfg.endpoint()));
            }

            void check(SysResult r) {
                if (r.isError() || r instanceof SysResult.Faulted) {
                    ctx.getLog().warn("{}: system call failed: {}", sys.name(), r);
                }
            }
        }.behavior());
    }
}
