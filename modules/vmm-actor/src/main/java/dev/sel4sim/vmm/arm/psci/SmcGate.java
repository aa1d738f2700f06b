package dev.sel4sim.vmm.arm.psci;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies a VM's {@link SmcPolicy} and remembers which function IDs it has decided before, so that the VMM
 * logs each unhandled ID once rather than on every call. A guest sweeping the ID space must not exhaust
 * memory: after {@link #MAX_REMEMBERED} distinct IDs, new ones are no longer reported as first-time.
 */
public final class SmcGate {

    /**
     * One decision.
     *
     * @param decision  what to do
     * @param firstTime whether this is the first call with this function ID
     */
    public record Outcome(SmcDecision decision, boolean firstTime) {
    }

    /** How many distinct IDs are remembered. */
    public static final int MAX_REMEMBERED = 1024;

    private final SmcPolicy policy;
    private final Set<Integer> seen = new LinkedHashSet<>();

    /** @param policy the VM's policy */
    public SmcGate(SmcPolicy policy) {
        this.policy = policy;
    }

    /** @return the policy applied */
    public SmcPolicy policy() {
        return policy;
    }

    /**
     * @param functionId the function ID from w0
     * @return the policy's decision, and whether the ID is new
     */
    public Outcome decide(int functionId) {
        boolean first = seen.size() < MAX_REMEMBERED && seen.add(functionId);
        return new Outcome(policy.decide(functionId), first);
    }

    /** @return whether the memory is full, so that new IDs are no longer reported as first-time */
    public boolean saturated() {
        return seen.size() >= MAX_REMEMBERED;
    }

    /** @return the IDs seen so far, in first-seen order */
    public List<Integer> seenIds() {
        return List.copyOf(seen);
    }
}
