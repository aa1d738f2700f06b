package dev.sel4sim.virtio.testing;

import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.sel4sim.virtio.mem.GuestMemory;

/** Guest memory that records every thread other than its owner that touches it. */
public final class ThreadCheckingMemory implements GuestMemory {
    private final GuestMemory delegate;
    private final Thread owner;
    private final Set<String> intruders = ConcurrentHashMap.newKeySet();

    public ThreadCheckingMemory(GuestMemory delegate, Thread owner) {
        this.delegate = delegate;
        this.owner = owner;
    }

    public Set<String> intruders() {
        return Set.copyOf(intruders);
    }

    private void check() {
        if (Thread.currentThread() != owner) {
            intruders.add(Thread.currentThread().getName());
        }
    }

    @Override
    public boolean contains(long gpa, long length) {
        check();
        return delegate.contains(gpa, length);
    }

    @Override
    public MemorySegment slice(long gpa, long length) {
        check();
        return delegate.slice(gpa, length);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
