package dev.sel4sim.servers.net;

/**
 * Why a received packet was not accepted: which protocol layer refused it, the kind of problem
 * (so callers can count by kind) and a human-readable detail.
 */
public record ParseError(String layer, Kind kind, String detail) {
    public enum Kind {
        /** Shorter than its header or than its own length field says. */
        TRUNCATED,
        /** A header or payload checksum does not match. */
        BAD_CHECKSUM,
        /** A field holds a value the protocol does not allow. */
        BAD_FIELD,
        /** Valid, but something this stack does not handle (another hardware type, IP options...). */
        UNSUPPORTED,
        /** An IPv4 fragment: not reassembled, so dropped and counted. */
        FRAGMENT
    }

    static <T> ParseResult<T> fail(String layer, Kind kind, String detail) {
        return new ParseResult.Failed<>(new ParseError(layer, kind, detail));
    }

    static <T> ParseResult<T> truncated(String layer, int needed, int got) {
        return fail(layer, Kind.TRUNCATED, "needs " + needed + " bytes, got " + got);
    }

    @Override
    public String toString() {
        return layer + " " + kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + detail;
    }
}
