package dev.sel4sim.servers;

import dev.sel4sim.kernel.SysResult;
import dev.sel4sim.kernel.Syscalls;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.ipc.Message;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A client (kind {@code rpc-client}) that calls a server with each of its messages in turn and
 * reports every answer on the serial connection. Each step waits for the previous one, as a
 * single seL4 thread would.
 */
public final class RpcClient {
    private RpcClient() {
    }

    public static Behavior<KernelEvent> create(Syscalls sys, Wiring wiring, String server, String serial, List<String> messages) {
        long srv = wiring.cap(server);
        long out = wiring.cap(serial);
        return Behaviors.setup(ctx -> new Object() {
            int next;
            String pending;

            Behavior<KernelEvent> behavior() {
                return Behaviors.receiveMessage(ev -> {
                    switch (ev) {
                        case KernelEvent.Started s -> callNext();
                        case KernelEvent.ReplyReceived r -> {
                            if (pending != null) {
                                String line = "called " + server + " with \"" + pending + "\", got \"" + r.message().string() + "\"";
                                pending = null;
                                // The serial server answers our Call once the line is out; then we go on.
                                report(line);
                            } else {
                                callNext();
                            }
                        }
                        case KernelEvent.FaultResolved f -> callNext();
                        default -> { }
                    }
                    return Behaviors.same();
                });
            }

            void callNext() {
                if (next >= messages.size()) {
                    return;
                }
                pending = messages.get(next++);
                SysResult r = sys.call(srv, Message.ofString(1, pending));
                if (r.isError() || r instanceof SysResult.Faulted) {
                    pending = null;
                    report("call to " + server + " failed: " + r);
                }
            }

            void report(String line) {
                SysResult r = sys.call(out, Message.ofString(1, line));
                if (r.isError()) {
                    ctx.getLog().warn("{}: serial call failed: {}", sys.name(), r);
                }
            }
        }.behavior());
    }
}
