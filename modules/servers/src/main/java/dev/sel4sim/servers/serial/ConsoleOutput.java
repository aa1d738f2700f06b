package dev.sel4sim.servers.serial;

import dev.sel4sim.servers.Console;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The serial server's output when it has the terminal to itself: a multiplexer of its own, in
 * plain text, writing whole lines to a {@link Console}. Clients are registered on first output,
 * as output-only.
 */
public final class ConsoleOutput implements SerialOutput {
    private final SerialMux mux;
    private final ConsoleScreen screen;

    public ConsoleOutput(Console console) {
        this(new SerialMux(MuxSettings.plain()), console);
    }

    /** {@code mux} must use LF line ends, as the console expects whole lines. */
    public ConsoleOutput(SerialMux mux, Console console) {
        if (!mux.settings().lineEnd().equals("\n")) {
            throw new IllegalArgumentException("a console output needs a multiplexer with LF line ends");
        }
        this.mux = mux;
        this.screen = new ConsoleScreen(console);
    }

    @Override
    public CompletionStage<Void> write(String client, byte[] bytes) {
        synchronized (mux) {
            if (!mux.has(client)) {
                mux.register(ClientSpec.outputOnly(client));
            }
            screen.write(mux.output(client, bytes));
        }
        return CompletableFuture.completedFuture(null);
    }
}
