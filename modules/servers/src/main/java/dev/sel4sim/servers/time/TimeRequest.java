package dev.sel4sim.servers.time;

import dev.sel4sim.kernel.ipc.Message;

/**
 * What a client asks the TimeServer, as the camkes Timer interface has it. On the wire the label
 * is the operation and word 0 the timer id, word 1 the time in nanoseconds.
 */
public sealed interface TimeRequest {
    /** A timeout {@code ns} from now. */
    record OneshotRelative(int timer, long ns) implements TimeRequest {}

    /** A timeout at simulated time {@code ns}. */
    record OneshotAbsolute(int timer, long ns) implements TimeRequest {}

    /** A timeout every {@code ns}. */
    record Periodic(int timer, long ns) implements TimeRequest {}

    record Stop(int timer) implements TimeRequest {}

    /** Which timers completed since the last ask (a bit mask in the reply), clearing them. */
    record Completed() implements TimeRequest {}

    /** Simulated time now, in nanoseconds. */
    record Time() implements TimeRequest {}

    int ONESHOT_RELATIVE = 1, ONESHOT_ABSOLUTE = 2, PERIODIC = 3, STOP = 4, COMPLETED = 5, TIME = 6;

    default Message toMessage() {
        return switch (this) {
            case OneshotRelative r -> Message.of(ONESHOT_RELATIVE, r.timer(), r.ns());
            case OneshotAbsolute a -> Message.of(ONESHOT_ABSOLUTE, a.timer(), a.ns());
            case Periodic p -> Message.of(PERIODIC, p.timer(), p.ns());
            case Stop s -> Message.of(STOP, s.timer());
            case Completed c -> Message.of(COMPLETED);
            case Time t -> Message.of(TIME);
        };
    }

    /** The request a message carries, or null for an unknown operation. */
    static TimeRequest decode(Message m) {
        int timer = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, m.word(0)));
        return switch ((int) m.label()) {
            case ONESHOT_RELATIVE -> new OneshotRelative(timer, m.word(1));
            case ONESHOT_ABSOLUTE -> new OneshotAbsolute(timer, m.word(1));
            case PERIODIC -> new Periodic(timer, m.word(1));
            case STOP -> new Stop(timer);
            case COMPLETED -> new Completed();
            case TIME -> new Time();
            default -> null;
        };
    }
}
