package dev.sel4sim.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The same request/reply shape in plain Pekko typed, without the kernel model: a client actor
 * sends a request record (label, words, replyTo) to a server actor, which answers with a reply
 * record; the client sends the next request when the reply arrives.
 */
final class PekkoPingPong implements PingPong {
    /** Where the two actors run. */
    enum Layout {
        /** Both on one single-thread dispatcher (throughput 1), like two threads on one simulated core. */
        ONE_THREAD,
        /** Server and client each on its own single-thread dispatcher, like two simulated cores. */
        TWO_THREADS,
        /** Both on Pekko's default dispatcher (fork-join pool, throughput 5), for reference. */
        DEFAULT_DISPATCHER
    }

    record Request(long label, long[] words, ActorRef<ClientMsg> replyTo) {}

    sealed interface ClientMsg {}

    record Reply(long label, long[] words) implements ClientMsg {}

    record Go(int n, CompletableFuture<Long> done) implements ClientMsg {}

    private final ActorSystem<Void> system;
    private final ActorRef<ClientMsg> client;

    PekkoPingPong(Layout layout) {
        system = ActorSystem.create(Behaviors.empty(), "pekko-ipc-" + layout.name().toLowerCase().replace('_', '-'),
                PingPong.config());
        DispatcherSelector serverOn;
        DispatcherSelector clientOn;
        switch (layout) {
            case ONE_THREAD -> {
                serverOn = DispatcherSelector.fromConfig("bench.core-0");
                clientOn = serverOn;
            }
            case TWO_THREADS -> {
                serverOn = DispatcherSelector.fromConfig("bench.core-0");
                clientOn = DispatcherSelector.fromConfig("bench.core-1");
            }
            default -> {
                serverOn = DispatcherSelector.defaultDispatcher();
                clientOn = serverOn;
            }
        }
        ActorRef<Request> server = system.systemActorOf(server(), "server", serverOn);
        client = system.systemActorOf(client(server), "client", clientOn);
    }

    static Behavior<Request> server() {
        return Behaviors.receiveMessage(r -> {
            r.replyTo().tell(new Reply(0, new long[]{r.words()[0] + 1}));
            return Behaviors.same();
        });
    }

    static Behavior<ClientMsg> client(ActorRef<Request> server) {
        return Behaviors.setup(ctx -> {
            ActorRef<ClientMsg> self = ctx.getSelf();
            Batch batch = new Batch();
            return Behaviors.receiveMessage(msg -> {
                switch (msg) {
                    case Go g -> {
                        batch.left = g.n();
                        batch.sum = 0;
                        batch.done = g.done();
                        server.tell(new Request(1, new long[]{batch.left}, self));
                    }
                    case Reply r -> {
                        batch.sum += r.words()[0];
                        if (--batch.left == 0) {
                            batch.done.complete(batch.sum);
                        } else {
                            server.tell(new Request(1, new long[]{batch.left}, self));
                        }
                    }
                }
                return Behaviors.same();
            });
        });
    }

    private static final class Batch {
        int left;
        long sum;
        CompletableFuture<Long> done;
    }

    @Override
    public void start(int n, CompletableFuture<Long> done) {
        client.tell(new Go(n, done));
    }

    @Override
    public void close() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("Pekko actor system did not terminate in 30 s: " + e);
        }
    }
}
