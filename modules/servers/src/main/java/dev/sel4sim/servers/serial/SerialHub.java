package dev.sel4sim.servers.serial;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.MergeHub;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.util.ByteString;

/**
 * The {@link SerialMux} as running streams: one host terminal (a screen {@code Sink} and a
 * keystroke {@code Source}) shared by clients that each attach a {@code Flow} of bytes, guest
 * output in and keystrokes out, as a virtio-console device or an emulated UART carries them.
 *
 * <p>Lossless and ordered per client, with backpressure end to end: client output enters a merge
 * hub with a small buffer per client and is drawn on the screen only as fast as the screen pulls,
 * so a screen that stops pulling stops every client's output after that buffer. Keystrokes pass
 * through a broadcast hub that waits until every input client has attached, so none is lost to a
 * client that attaches late; a client that stops taking keystrokes holds up typing (not output)
 * once the hub's buffer is full.
 */
public final class SerialHub {
    /** How many keystroke chunks the fastest client may be ahead of the slowest (a power of two). */
    private static final int KEY_BUFFER = 256;

    private final SerialMux mux;
    private final Materializer mat;
    private final int clientBuffer;
    private final Sink<HubEvent, NotUsed> toScreen;
    private final Source<HubEvent, NotUsed> keys;
    private final Map<String, SourceQueueWithComplete<ByteString>> ipcQueues = new ConcurrentHashMap<>();

    private SerialHub(SerialMux mux, Materializer mat, int clientBuffer, Sink<HubEvent, NotUsed> toScreen, Source<HubEvent, NotUsed> keys) {
        this.mux = mux;
        this.mat = mat;
        this.clientBuffer = clientBuffer;
        this.toScreen = toScreen;
        this.keys = keys;
    }

    /**
     * Starts the terminal side. Every client that takes input must be in {@code clients}: the
     * keystroke hub waits for that many to attach. Output-only clients may also come later
     * ({@link #outputOnly}, {@link #ipcOutput}).
     *
     * @param clientBuffer output chunks buffered per client before it is backpressured (>= 1)
     */
    public static SerialHub start(MuxSettings settings, List<ClientSpec> clients, Source<ByteString, ?> keystrokes,
                                  Sink<ByteString, ?> screen, int clientBuffer, Materializer mat) {
        if (clientBuffer < 1) {
            throw new IllegalArgumentException("clientBuffer must be at least 1, got " + clientBuffer);
        }
        SerialMux mux = new SerialMux(settings);
        clients.forEach(mux::register);
        long inputClients = mux.clients().stream().filter(SerialClient::input).count();

        Sink<HubEvent, NotUsed> toScreen = MergeHub.of(HubEvent.class, clientBuffer)
                .map(e -> ByteString.fromArrayUnsafe(render(mux, e)))
                .filter(b -> !b.isEmpty())
                .toMat(screen, Keep.left())
                .run(mat);

        Flow<ByteString, HubEvent, NotUsed> routed = Flow.of(ByteString.class)
                .mapConcat(k -> route(mux, k))
                // A broken keyboard ends typing with a notice; clients see their keystrokes end, not fail.
                .recover(new PFBuilder<Throwable, HubEvent>().matchAny(ex -> new HubEvent.Notice("-- keyboard failed: " + why(ex) + " --")).build())
                .divertTo(toScreen, e -> e instanceof HubEvent.Notice);
        Source<HubEvent, NotUsed> keys;
        if (inputClients == 0) {
            keystrokes.via(routed).runWith(Sink.ignore(), mat);
            keys = Source.empty();
        } else {
            keys = keystrokes.via(routed).toMat(BroadcastHub.of(HubEvent.class, (int) inputClients, KEY_BUFFER), Keep.right()).run(mat);
        }
        return new SerialHub(mux, mat, clientBuffer, toScreen, keys);
    }

    /** The registered clients. */
    public List<SerialClient> clients() {
        return mux.clients();
    }

    /**
     * The connection of an input client: its output in, its keystrokes out. Materialize it once
     * per client; a second materialization shares the output and sees only later keystrokes.
     */
    public Flow<ByteString, ByteString, NotUsed> client(String name) {
        SerialClient c = find(name);
        if (!c.input()) {
            throw new IllegalArgumentException("serial client '" + name + "' takes no input; use outputOnly");
        }
        Source<ByteString, NotUsed> in = keys
                .filter(e -> e instanceof HubEvent.Keys k && k.client().equals(name))
                .map(e -> ((HubEvent.Keys) e).bytes());
        // Not coupled: the end of the keystrokes (stdin closed) must not stop the client's output.
        return Flow.fromSinkAndSource(output(name), in);
    }

    /** A sink for a client that only prints; registers it as output-only if it is new. */
    public Sink<ByteString, NotUsed> outputOnly(String name) {
        synchronized (mux) {
            if (!mux.has(name)) {
                mux.register(ClientSpec.outputOnly(name));
            }
        }
        return output(name);
    }

    /**
     * The output of a serial server serving native components over IPC through this terminal:
     * each client gets a queue into the hub, and a write completes once its queue took the bytes.
     * At most one write per client may be pending, which the serial server's one-message-at-a-time
     * loop guarantees.
     */
    public SerialOutput ipcOutput() {
        return (client, bytes) -> {
            SourceQueueWithComplete<ByteString> q = ipcQueues.computeIfAbsent(client,
                    n -> Source.<ByteString>queue(clientBuffer, OverflowStrategy.backpressure()).toMat(outputOnly(n), Keep.left()).run(mat));
            CompletionStage<QueueOfferResult> offered = q.offer(ByteString.fromArray(bytes));
            return offered.thenApply(r -> {
                if (r != QueueOfferResult.enqueued()) {
                    throw new IllegalStateException("serial output of '" + client + "' not taken: " + r);
                }
                return null;
            });
        };
    }

    private Sink<ByteString, NotUsed> output(String name) {
        return Flow.of(ByteString.class)
                .<HubEvent>map(b -> new HubEvent.Output(name, b))
                // A failing client (a broken device) is reported on the screen; the hub goes on.
                .recover(new PFBuilder<Throwable, HubEvent>().matchAny(ex -> new HubEvent.Failed(name, ex)).build())
                .to(toScreen);
    }

    private SerialClient find(String name) {
        for (SerialClient c : mux.clients()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no serial client '" + name + "'; registered: "
                + mux.clients().stream().map(SerialClient::name).toList());
    }

    private static byte[] render(SerialMux mux, HubEvent e) {
        return switch (e) {
            case HubEvent.Output o -> mux.output(o.client(), o.bytes().toArray());
            case HubEvent.Failed f -> mux.notice("-- " + f.client() + " output failed: " + why(f.cause()) + " --");
            case HubEvent.Notice n -> mux.notice(n.text());
            case HubEvent.Keys k -> new byte[0];
        };
    }

    private static String why(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    private static List<HubEvent> route(SerialMux mux, ByteString keys) {
        InputResult r = mux.input(keys.toArray());
        List<HubEvent> out = new ArrayList<>(r.deliveries().size() + r.notices().size());
        // Notices go first: a switch is announced before the keys typed after it arrive.
        r.notices().forEach(n -> out.add(new HubEvent.Notice(n)));
        r.deliveries().forEach(d -> out.add(new HubEvent.Keys(d.client(), ByteString.fromArray(d.bytes()))));
        return out;
    }
}
