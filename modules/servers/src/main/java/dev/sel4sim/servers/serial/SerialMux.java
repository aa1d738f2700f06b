package dev.sel4sim.servers.serial;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One host terminal shared by every VM and component, as the camkes SerialServer shares one
 * UART. Output from each client reaches the screen line by line behind its (coloured) prefix;
 * keystrokes go to the client with the focus, which an escape sequence moves.
 *
 * <p>The multiplexer only computes: {@link #output} and {@link #notice} return the bytes for the
 * screen, {@link #input} the bytes for clients. The caller writes every one of them, in order,
 * so nothing is lost and a slow terminal slows the caller (see {@link SerialHub} for streams).
 * Methods are synchronized so that an output path and an input path may run on different
 * threads.
 *
 * <p>Input follows the camkes SerialServer: escape {@code @} by default, recognised at the start
 * of an input line; escape + digit moves the focus (0-based), escape twice sends it, escape +
 * {@code ?} lists the clients, escape + any other key passes both on. It differs in that the
 * escape is configurable and may be allowed anywhere, a digit with no client gives a notice
 * instead of reaching the guest, and there is no multi-client input or debug mode. Output differs
 * too: camkes holds each client's partial line until its newline (or a timer); here output is
 * shown at once and an interrupted line is ended and resumed, and only the prefix is coloured,
 * not the text.
 */
public final class SerialMux {
    private final MuxSettings settings;
    private final Map<String, ClientLine> clients = new LinkedHashMap<>();
    private final List<SerialClient> inputClients = new ArrayList<>();
    private final ScreenWriter screen;
    private final InputRouter router;

    public SerialMux(MuxSettings settings) {
        this.settings = settings;
        this.screen = new ScreenWriter(settings);
        this.router = new InputRouter(settings);
    }

    public MuxSettings settings() {
        return settings;
    }

    /**
     * Adds a client. Its colour, if not given, is the next of the palette; its number, if it
     * takes input, the next digit. Fails if the name is taken.
     */
    public synchronized SerialClient register(ClientSpec spec) {
        if (clients.containsKey(spec.name())) {
            throw new IllegalArgumentException("serial client '" + spec.name() + "' is registered twice");
        }
        String prefix = spec.prefix() != null ? spec.prefix() : "[" + spec.name() + "] ";
        AnsiColour colour = spec.colour() != null ? spec.colour() : AnsiColour.palette(clients.size());
        SerialClient c = new SerialClient(spec.name(), prefix, colour, spec.input(), spec.input() ? inputClients.size() : -1);
        clients.put(c.name(), new ClientLine(c));
        if (c.input()) {
            inputClients.add(c);
            router.clientAdded(inputClients);
        }
        return c;
    }

    public synchronized boolean has(String name) {
        return clients.containsKey(name);
    }

    /** The registered clients, in the order they were registered. */
    public synchronized List<SerialClient> clients() {
        return clients.values().stream().map(l -> l.client).toList();
    }

    /** The screen bytes for a chunk of {@code client}'s output. */
    public byte[] output(String client, byte[] bytes) {
        return output(client, bytes, 0, bytes.length);
    }

    public synchronized byte[] output(String client, byte[] bytes, int off, int len) {
        return screen.write(line(client), bytes, off, len);
    }

    /** The screen bytes for a line of the multiplexer's own, e.g. one of {@link InputResult#notices}. */
    public synchronized byte[] notice(String text) {
        return screen.notice(text);
    }

    /** Routes keystrokes typed on the terminal. */
    public synchronized InputResult input(byte[] keys) {
        return router.route(keys, inputClients);
    }

    /** The name of the client that has the focus, or null if no client takes input. */
    public synchronized String focus() {
        return router.focusName(inputClients);
    }

    /** The screen bytes that end a line left open (at shutdown), so the host prompt starts clean. */
    public synchronized byte[] finish() {
        return screen.finish();
    }

    private ClientLine line(String client) {
        ClientLine l = clients.get(client);
        if (l == null) {
            throw new IllegalArgumentException("no serial client '" + client + "'; registered: " + clients.keySet());
        }
        return l;
    }
}
