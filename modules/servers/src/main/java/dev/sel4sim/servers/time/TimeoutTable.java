package dev.sel4sim.servers.time;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TimeServer's timeouts, without the kernel: for each client (by badge) a fixed number of
 * timers, each one-shot or periodic with a deadline in simulated nanoseconds, and the set of its
 * timers that completed since the client last asked. Plain arrays, so it can be written out and
 * read back.
 */
public final class TimeoutTable {
    /** No deadline: the timer is stopped. */
    public static final long IDLE = -1;

    private final int timersPerClient;
    private final Map<Long, long[]> deadlines = new LinkedHashMap<>();
    private final Map<Long, long[]> periods = new LinkedHashMap<>();
    private final Map<Long, Long> completed = new LinkedHashMap<>();

    /** A table for {@code clients} (their badges), each with {@code timersPerClient} timers (1..64). */
    public TimeoutTable(List<Long> clients, int timersPerClient) {
        if (timersPerClient < 1 || timersPerClient > 64) {
            throw new IllegalArgumentException("timers per client must be 1..64 (one completion bit each), got " + timersPerClient);
        }
        this.timersPerClient = timersPerClient;
        for (long badge : clients) {
            long[] d = new long[timersPerClient];
            Arrays.fill(d, IDLE);
            deadlines.put(badge, d);
            periods.put(badge, new long[timersPerClient]);
            completed.put(badge, 0L);
        }
    }

    public boolean knows(long client) {
        return deadlines.containsKey(client);
    }

    public int timersPerClient() {
        return timersPerClient;
    }

    /** A one-shot timeout at {@code deadlineNs}; a deadline already past completes at the next check. */
    public void oneshotAt(long client, int timer, long deadlineNs) {
        check(client, timer);
        if (deadlineNs < 0) {
            throw new IllegalArgumentException("deadline " + deadlineNs + " ns is negative");
        }
        deadlines.get(client)[timer] = deadlineNs;
        periods.get(client)[timer] = 0;
    }

    /** A timeout every {@code periodNs}, the first one period after {@code nowNs}. */
    public void periodic(long client, int timer, long periodNs, long nowNs) {
        check(client, timer);
        if (periodNs <= 0) {
            throw new IllegalArgumentException("period " + periodNs + " ns must be positive");
        }
        deadlines.get(client)[timer] = nowNs + periodNs;
        periods.get(client)[timer] = periodNs;
    }

    public void stop(long client, int timer) {
        check(client, timer);
        deadlines.get(client)[timer] = IDLE;
        periods.get(client)[timer] = 0;
    }

    /** The client's completed timers as a bit mask (bit i for timer i), cleared by reading. */
    public long takeCompleted(long client) {
        check(client, 0);
        return completed.put(client, 0L);
    }

    /**
     * Completes every timer whose deadline is at or before {@code nowNs}; periodic ones are re-armed
     * one period on (missed periods are skipped, not replayed). Returns the clients to notify.
     */
    public List<Long> expire(long nowNs) {
        List<Long> notify = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : deadlines.entrySet()) {
            long client = e.getKey();
            long[] d = e.getValue();
            long[] p = periods.get(client);
            long bits = 0;
            for (int i = 0; i < d.length; i++) {
                if (d[i] != IDLE && d[i] <= nowNs) {
                    bits |= 1L << i;
                    if (p[i] > 0) {
                        long missed = (nowNs - d[i]) / p[i];
                        d[i] += (missed + 1) * p[i];
                    } else {
                        d[i] = IDLE;
                    }
                }
            }
            if (bits != 0) {
                completed.merge(client, bits, (a, b) -> a | b);
                notify.add(client);
            }
        }
        return notify;
    }

    /** The earliest armed deadline, or {@link #IDLE}. */
    public long nextDeadline() {
        long next = IDLE;
        for (long[] d : deadlines.values()) {
            for (long t : d) {
                if (t != IDLE && (next == IDLE || t < next)) {
                    next = t;
                }
            }
        }
        return next;
    }

    private void check(long client, int timer) {
        if (!deadlines.containsKey(client)) {
            throw new IllegalArgumentException("badge 0x" + Long.toHexString(client) + " is not a client of this time server");
        }
        if (timer < 0 || timer >= timersPerClient) {
            throw new IllegalArgumentException("timer " + timer + " is outside 0.." + (timersPerClient - 1));
        }
    }
}
