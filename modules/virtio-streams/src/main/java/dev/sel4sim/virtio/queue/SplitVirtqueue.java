package dev.sel4sim.virtio.queue;

import java.util.Optional;

import dev.sel4sim.virtio.mem.GuestMemory;
import dev.sel4sim.virtio.queue.VirtqueueError.Reason;

/**
 * The device side of one split virtqueue (virtio 1.x section 2.7) over guest memory: takes validated descriptor
 * chains from the available ring, returns them through the used ring and decides whether the driver wants an
 * interrupt for them.
 *
 * <p>The driver's indices are re-read from guest memory on every call, never cached. Errors in what the driver
 * wrote throw {@link VirtqueueException}; the transport catches it at the device boundary.
 *
 * <p>State that would go into a snapshot is {@link #state()}: the ring addresses come from the transport's
 * registers and the rest from guest memory.
 */
public final class SplitVirtqueue {
    /** Available ring flag: the driver does not want used-buffer notifications (without EVENT_IDX). */
    public static final int AVAIL_F_NO_INTERRUPT = 1;

    private final int index;
    private final GuestMemory memory;
    private final QueueLayout layout;
    private final boolean eventIdx;
    private final ChainWalker walker;

    private int lastAvailIdx;
    private int usedIdx;
    private int signalledUsedIdx;

    /**
     * Progress through the rings; all indices are free-running 16-bit counters.
     *
     * @param lastAvailIdx     next available-ring entry the device will take
     * @param usedIdx          next used-ring entry the device will write
     * @param signalledUsedIdx used index at the last interrupt decision
     */
    public record State(int lastAvailIdx, int usedIdx, int signalledUsedIdx) {
        public static final State INITIAL = new State(0, 0, 0);
    }

    /**
     * @param index         queue index, for errors
     * @param layout        ring addresses and size; must already be {@linkplain QueueLayout#validate validated}
     * @param eventIdx      whether VIRTIO_F_EVENT_IDX was negotiated
     * @param indirect      whether VIRTIO_F_INDIRECT_DESC was negotiated
     * @param maxChainBytes the most bytes one chain may hold
     * @param state         where to resume ({@link State#INITIAL} for a new queue)
     */
    public SplitVirtqueue(int index, GuestMemory memory, QueueLayout layout, boolean eventIdx, boolean indirect,
            long maxChainBytes, State state) {
        this.index = index;
        this.memory = memory;
        this.layout = layout;
        this.eventIdx = eventIdx;
        this.walker = new ChainWalker(memory, index, layout.size(), layout.desc(), indirect, maxChainBytes);
        this.lastAvailIdx = state.lastAvailIdx() & 0xffff;
        this.usedIdx = state.usedIdx() & 0xffff;
        this.signalledUsedIdx = state.signalledUsedIdx() & 0xffff;
    }

    /** @return the queue index */
    public int index() {
        return index;
    }

    /** @return the ring addresses and size */
    public QueueLayout layout() {
        return layout;
    }

    /** @return the progress counters, for a snapshot */
    public State state() {
        return new State(lastAvailIdx, usedIdx, signalledUsedIdx);
    }

    /**
     * @return how many chains the driver has made available that the device has not taken yet. When there are
     *         none and EVENT_IDX is on, also asks the driver to notify on the next one.
     */
    public int available() {
        int availIdx = memory.readU16(layout.avail() + 2);
        int pending = (availIdx - lastAvailIdx) & 0xffff;
        if (pending > layout.size()) {
            throw new VirtqueueException(Reason.BAD_AVAIL_INDEX, index, "available index " + availIdx
                    + " is " + pending + " ahead of the device's " + lastAvailIdx + ", more than the queue size "
                    + layout.size());
        }
        if (pending == 0) {
            publishAvailEvent();
        }
        return pending;
    }

    /** @return the next available chain, validated, without taking it; empty if the driver offers none */
    public Optional<DescriptorChain> peek() {
        if (available() == 0) {
            return Optional.empty();
        }
        int head = memory.readU16(layout.avail() + 4 + 2L * (lastAvailIdx % layout.size()));
        return Optional.of(walker.walk(head));
    }

    /** Takes the chain {@link #peek()} returned. */
    public void advance() {
        if (available() == 0) {
            throw new IllegalStateException("queue " + index + ": advance() without an available chain");
        }
        lastAvailIdx = (lastAvailIdx + 1) & 0xffff;
        publishAvailEvent();
    }

    /** @return the next available chain, validated and taken; empty if the driver offers none */
    public Optional<DescriptorChain> pop() {
        Optional<DescriptorChain> chain = peek();
        if (chain.isPresent()) {
            advance();
        }
        return chain;
    }

    /**
     * Returns a chain to the driver through the used ring.
     *
     * @param head    the chain's head index
     * @param written bytes the device wrote into the chain's writable buffers
     */
    public void pushUsed(int head, long written) {
        if (head < 0 || head >= layout.size()) {
            throw new IllegalArgumentException("queue " + index + ": used head " + head + " out of range");
        }
        long entry = layout.used() + 4 + 8L * (usedIdx % layout.size());
        memory.writeU32(entry, head);
        memory.writeU32(entry + 4, written);
        usedIdx = (usedIdx + 1) & 0xffff;
        memory.writeU16(layout.used() + 2, usedIdx);
    }

    /**
     * Decides whether the used entries pushed since the last decision warrant an interrupt: with EVENT_IDX, only
     * if the used index crossed the driver's {@code used_event}; without, unless the driver set
     * {@link #AVAIL_F_NO_INTERRUPT}. Each call starts a new decision window.
     */
    public boolean needsInterrupt() {
        int old = signalledUsedIdx;
        int now = usedIdx;
        if (old == now) {
            return false;
        }
        signalledUsedIdx = now;
        if (eventIdx) {
            int usedEvent = memory.readU16(layout.avail() + 4 + 2L * layout.size());
            return ((now - usedEvent - 1) & 0xffff) < ((now - old) & 0xffff);
        }
        return (memory.readU16(layout.avail()) & AVAIL_F_NO_INTERRUPT) == 0;
    }

    private void publishAvailEvent() {
        if (eventIdx) {
            memory.writeU16(layout.used() + 4 + 8L * layout.size(), lastAvailIdx);
        }
    }
}
