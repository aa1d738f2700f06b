package dev.sel4sim.servers.serial;

/**
 * A registered client as the multiplexer settled it.
 *
 * @param number its digit in the focus escape (0-based among the clients that take input), or
 *               -1 for an output-only client
 */
public record SerialClient(String name, String prefix, AnsiColour colour, boolean input, int number) {
}
