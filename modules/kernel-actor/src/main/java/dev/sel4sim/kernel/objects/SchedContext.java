package dev.sel4sim.kernel.objects;

/**
 * An MCS scheduling context: a budget of simulated time per period. A thread whose budget is used
 * up is not scheduled again until the next replenishment (a sporadic-server simplification: the
 * whole budget returns at the start of each period).
 */
public final class SchedContext extends KObject {
    private long budgetNs;
    private long periodNs;
    private long periodStartNs;
    private long consumedNs;
    private long throttled;

    public SchedContext(String name, long paddr, int sizeBits) {
        super(name, paddr, sizeBits);
    }

    public synchronized void configure(long budgetNs, long periodNs) {
        if (budgetNs <= 0 || periodNs <= 0 || budgetNs > periodNs) {
            throw new IllegalArgumentException("budget " + budgetNs + " ns must be > 0 and <= period " + periodNs + " ns");
        }
        this.budgetNs = budgetNs;
        this.periodNs = periodNs;
    }

    public boolean configured() {
        return periodNs > 0;
    }

    public long budgetNs() {
        return budgetNs;
    }

    public long periodNs() {
        return periodNs;
    }

    /** Rolls the period forward to {@code now} and tells whether budget remains. */
    public synchronized boolean hasBudget(long nowNs) {
        if (!configured()) {
            return true;
        }
        refresh(nowNs);
        return consumedNs < budgetNs;
    }

    /** Charges execution time; returns true when the budget is now exhausted. */
    public synchronized boolean charge(long nowNs, long ns) {
        if (!configured()) {
            return false;
        }
        refresh(nowNs);
        consumedNs += ns;
        if (consumedNs >= budgetNs) {
            throttled++;
            return true;
        }
        return false;
    }

    /** Simulated time at which the budget is next replenished. */
    public synchronized long nextReplenishNs(long nowNs) {
        refresh(nowNs);
        return periodStartNs + periodNs;
    }

    /** How many times the thread ran out of budget. */
    public long throttledCount() {
        return throttled;
    }

    private void refresh(long nowNs) {
        if (nowNs >= periodStartNs + periodNs) {
            long periods = (nowNs - periodStartNs) / periodNs;
            periodStartNs += periods * periodNs;
            consumedNs = 0;
        }
    }

    @Override
    public ObjectType type() {
        return ObjectType.SCHED_CONTEXT;
    }
}
