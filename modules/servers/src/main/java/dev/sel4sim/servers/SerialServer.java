package dev.sel4sim.servers;

import dev.sel4sim.kernel.SysResult;
import dev.sel4sim.kernel.Syscalls;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.ipc.Message;
import dev.sel4sim.servers.serial.ConsoleOutput;
import dev.sel4sim.servers.serial.SerialHub;
import dev.sel4sim.servers.serial.SerialOutput;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A serial component (kind {@code serial}): the one terminal of the system. Native clients Send
 * or Call its endpoint with text packed by {@link Message#ofString}; each message is a line,
 * printed through the serial multiplexer behind the prefix of the client its badge identifies. A
 * Call gets an empty reply once the multiplexer has taken the line. No further message is taken
 * before that, so a slow terminal blocks senders on the endpoint.
 */
public final class SerialServer {
    /** The multiplexer took (or refused) the line of a message; the server may go on. */
    private record Written(boolean call, String client, Throwable error) implements KernelEvent.Local {}

    private SerialServer() {
    }

    /** A serial server with the terminal to itself, writing plain lines to {@code console}. */
    public static Behavior<KernelEvent> create(Syscalls sys, Wiring wiring, String endpoint, Console console) {
        return create(sys, wiring, endpoint, new ConsoleOutput(console));
    }

    /**
     * A serial server writing through {@code out}, e.g. {@link SerialHub#ipcOutput()} to share the
     * terminal with VM consoles.
     */
    public static Behavior<KernelEvent> create(Syscalls sys, Wiring wiring, String endpoint, SerialOutput out) {
        long ep = wiring.cap(endpoint);
        return Behaviors.setup(ctx -> Behaviors.receiveMessage(ev -> {
            switch (ev) {
                case KernelEvent.Started s -> sys.recv(ep);
                case KernelEvent.IpcReceived m -> {
                    String client = wiring.client(endpoint, m.badge());
                    CompletionStage<Void> done = write(out, client, m.message().string());
                    CompletableFuture<Void> f = done.toCompletableFuture();
                    if (f.isDone()) {
                        next(ctx, sys, ep, out, new Written(m.call(), client, f.isCompletedExceptionally() ? failure(f) : null));
                    } else {
                        ctx.pipeToSelf(done, (ok, error) -> new Written(m.call(), client, error));
                    }
                }
                case Written w -> next(ctx, sys, ep, out, w);
                default -> { }
            }
            return Behaviors.same();
        }));
    }

    private static CompletionStage<Void> write(SerialOutput out, String client, String text) {
        String line = text.endsWith("\n") ? text : text + "\n";
        try {
            return out.write(client, line.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void next(ActorContext<KernelEvent> ctx, Syscalls sys, long ep, SerialOutput out, Written w) {
        if (w.error() != null) {
            ctx.getLog().warn("{}: output of {} lost: {}", sys.name(), w.client(), w.error().toString());
        }
        SysResult r = w.call() ? sys.replyRecv(ep, Message.EMPTY) : sys.recv(ep);
        if (r.isError()) {
            write(out, "serial", "receive failed: " + r);
        }
    }

    private static Throwable failure(CompletableFuture<Void> f) {
        try {
            f.join();
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }
}
