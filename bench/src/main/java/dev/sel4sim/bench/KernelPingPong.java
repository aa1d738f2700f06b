package dev.sel4sim.bench;

import dev.sel4sim.kernel.Arch;
import dev.sel4sim.kernel.Kernel;
import dev.sel4sim.kernel.SysResult;
import dev.sel4sim.kernel.Syscalls;
import dev.sel4sim.kernel.actor.Component;
import dev.sel4sim.kernel.actor.Simulation;
import dev.sel4sim.kernel.actor.Supervision;
import dev.sel4sim.kernel.boot.CSpaceView;
import dev.sel4sim.kernel.boot.Loader;
import dev.sel4sim.kernel.cap.Rights;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.ipc.Message;
import dev.sel4sim.kernel.objects.Endpoint;
import dev.sel4sim.kernel.objects.Untyped;
import dev.sel4sim.kernel.sched.Timeline;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * IPC round trips through the kernel model: a client thread doing seL4_Call on an endpoint and a
 * server thread answering with seL4_ReplyRecv, each a thread actor on a simulated core. With one
 * core both threads share it (the server at the higher priority, as an seL4 server usually is);
 * with two the server runs on core 0 and the client on core 1.
 */
final class KernelPingPong implements PingPong {
    /** The benchmark's command to the client thread: make {@code n} calls, then complete. */
    record Go(int n, CompletableFuture<Long> done) implements KernelEvent.Local {}

    static final int SERVER_PRIORITY = 100;
    static final int CLIENT_PRIORITY = 50;

    private final ActorSystem<Void> system;
    private final Simulation sim;
    private final ActorRef<KernelEvent> client;

    KernelPingPong(int cores) {
        if (cores < 1 || cores > 2) {
            throw new IllegalArgumentException("1 or 2 cores, not " + cores);
        }
        system = ActorSystem.create(Behaviors.empty(), "kernel-ipc-" + cores, PingPong.config());
        Timeline timeline = new Timeline(Timeline.Mode.VIRTUAL);
        Kernel kernel = new Kernel(Arch.AARCH64, false, 40, 256, timeline);
        Untyped ut = kernel.addUntyped("ut0", 0x4000_0000L, 24, false);
        sim = new Simulation(system, kernel, cores, "bench");
        Loader loader = new Loader(kernel, List.of(ut), 8);
        CSpaceView server = loader.thread("server", 6, SERVER_PRIORITY, 0);
        CSpaceView caller = loader.thread("client", 6, CLIENT_PRIORITY, cores - 1);
        Endpoint ep = loader.endpoint("rpc");
        int serverEp = loader.give(server, ep, Rights.RW, 0);
        // Write + Grant + GrantReply: Call needs one of the grants to receive a reply.
        int clientEp = loader.give(caller, ep, new Rights(false, true, true, true), 0x42);

        CountDownLatch started = new CountDownLatch(2);
        sim.start(server.tcb(), server(serverEp, started), Supervision.STOP);
        client = sim.start(caller.tcb(), client(clientEp, started), Supervision.STOP);
        try {
            if (!started.await(30, TimeUnit.SECONDS)) {
                close();
                throw new IllegalStateException("the kernel-model client and server did not start within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    /** Recv once, then answer every call with ReplyRecv (word 0 + 1). */
    static Component server(long ep, CountDownLatch started) {
        return (sys, ctx) -> Behaviors.receiveMessage(msg -> {
            switch (msg) {
                case KernelEvent.Started s -> {
                    expectBlocked(sys.recv(ep), "server Recv");
                    started.countDown();
                }
                case KernelEvent.IpcReceived r ->
                        expectBlocked(sys.replyRecv(ep, Message.of(0, r.message().word(0) + 1)), "server ReplyRecv");
                default -> throw new IllegalStateException("server: unexpected " + msg);
            }
            return Behaviors.same();
        });
    }

    /** On {@link Go}: Call, and Call again on every reply until n replies came. */
    static Component client(long ep, CountDownLatch started) {
        return (sys, ctx) -> {
            Batch batch = new Batch();
            return Behaviors.receiveMessage(msg -> {
                switch (msg) {
                    case KernelEvent.Started s -> started.countDown();
                    case Go g -> {
                        batch.left = g.n();
                        batch.sum = 0;
                        batch.done = g.done();
                        call(sys, ep, batch);
                    }
                    case KernelEvent.ReplyReceived r -> {
                        batch.sum += r.message().word(0);
                        if (--batch.left == 0) {
                            batch.done.complete(batch.sum);
                        } else {
                            call(sys, ep, batch);
                        }
                    }
                    default -> {
                        if (batch.done != null) {
                            batch.done.completeExceptionally(new IllegalStateException("client: unexpected " + msg));
                        }
                    }
                }
                return Behaviors.same();
            });
        };
    }

    private static final class Batch {
        int left;
        long sum;
        CompletableFuture<Long> done;
    }

    private static void call(Syscalls sys, long ep, Batch batch) {
        SysResult r = sys.call(ep, Message.of(1, batch.left));
        if (!(r instanceof SysResult.Blocked)) {
            batch.done.completeExceptionally(new IllegalStateException("client Call returned " + r));
        }
    }

    private static void expectBlocked(SysResult r, String what) {
        if (!(r instanceof SysResult.Blocked)) {
            throw new IllegalStateException(what + " returned " + r);
        }
    }

    @Override
    public void start(int n, CompletableFuture<Long> done) {
        client.tell(new Go(n, done));
    }

    @Override
    public void close() {
        sim.close();
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("kernel-model actor system did not terminate in 30 s: " + e);
        }
    }
}
