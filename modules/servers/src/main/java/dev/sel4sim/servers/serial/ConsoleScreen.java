package dev.sel4sim.servers.serial;

import dev.sel4sim.servers.Console;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A screen made of {@link Console} lines: cuts multiplexer output at its LF line ends and hands
 * each line over without the line end. Text of an unfinished line waits for its end.
 */
public final class ConsoleScreen {
    private final Console console;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    public ConsoleScreen(Console console) {
        this.console = console;
    }

    public void write(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n') {
                byte[] line = partial.toByteArray();
                int len = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
                console.line(new String(line, 0, len, StandardCharsets.UTF_8));
                partial.reset();
            } else {
                partial.write(b);
            }
        }
    }
}
