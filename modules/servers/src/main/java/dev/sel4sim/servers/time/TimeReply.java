package dev.sel4sim.servers.time;

import dev.sel4sim.kernel.ipc.Message;

/** The TimeServer's answer: a status (the message label) and a value (word 0: time or completed mask). */
public record TimeReply(Status status, long value) {
    public enum Status { OK, INVALID_CLIENT, INVALID_TIMER, INVALID_ARGUMENT, UNKNOWN_OPERATION }

    public Message toMessage() {
        return Message.of(status.ordinal(), value);
    }

    public static TimeReply decode(Message m) {
        int s = (int) m.label();
        Status status = s >= 0 && s < Status.values().length ? Status.values()[s] : Status.UNKNOWN_OPERATION;
        return new TimeReply(status, m.word(0));
    }

    static TimeReply ok(long value) {
        return new TimeReply(Status.OK, value);
    }

    static TimeReply error(Status s) {
        return new TimeReply(s, 0);
    }
}
