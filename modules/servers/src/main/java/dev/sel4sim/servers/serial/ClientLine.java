package dev.sel4sim.servers.serial;

/** One client's progress through its own output: the line state the screen writer keeps for it. */
final class ClientLine {
    final SerialClient client;
    /** CRs seen but not yet known to be a line end (a CR LF) or a return within the line. */
    int pendingCr;
    /** The client has text on its current line, which it has not yet ended. */
    boolean midLine;

    ClientLine(SerialClient client) {
        this.client = client;
    }
}
