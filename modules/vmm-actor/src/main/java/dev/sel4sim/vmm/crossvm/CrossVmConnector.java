package dev.sel4sim.vmm.crossvm;

import dev.sel4sim.virtio.transport.InterruptLine;
import dev.sel4sim.vmm.cpu.MmioHandler;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One cross-VM connector of a VM: a dataport the guest maps as RAM (loads and stores run natively) and the
 * register page of {@link CrossVmRegisters}, through which the guest rings the component's doorbell and sees
 * and acknowledges the component's events.
 *
 * <p>Threads: the register handlers and event delivery run on the VM's thread; {@link #eventFromPeer()} may be
 * called from any thread and hands the work to the VM's thread. The dataport is also read and written by the
 * component on its own thread, and the events order those accesses: whoever writes the dataport and then
 * signals publishes its writes with a release fence before the signal, and whoever takes the signal issues an
 * acquire fence before reading. This device does both for the guest's side.
 */
public final class CrossVmConnector implements MmioHandler {
    private final CrossVmSpec spec;
    private final MemorySegment dataport;
    private final int irq;
    private final InterruptLine line;
    private final Executor vmThread;
    private final Consumer<String> notes;
    private final byte[] name;
    private volatile Runnable doorbell;

    // Register state, on the VM's thread only.
    private boolean pending;
    private long rung;
    private long events;
    private boolean unconnectedNoted;

    /**
     * @param dataport the shared frames, at least {@code spec.dataportSize()} bytes; the component sees the same
     * @param irq      the interrupt number the guest reads from the IRQ register
     * @param line     the interrupt the component's events raise
     * @param vmThread runs work on the VM's thread between slices
     * @param notes    where unusual events go (the VM's log)
     */
    public CrossVmConnector(CrossVmSpec spec, MemorySegment dataport, int irq, InterruptLine line, Executor vmThread,
                            Consumer<String> notes) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.dataport = Objects.requireNonNull(dataport, "dataport");
        if (dataport.byteSize() < spec.dataportSize()) {
            throw new IllegalArgumentException("cross-VM connector " + spec.name() + ": the dataport memory has "
                    + dataport.byteSize() + " bytes, the connector needs " + spec.dataportSize());
        }
        this.irq = irq;
        this.line = Objects.requireNonNull(line, "line");
        this.vmThread = Objects.requireNonNull(vmThread, "vmThread");
        this.notes = Objects.requireNonNull(notes, "notes");
        this.name = spec.name().getBytes(StandardCharsets.US_ASCII);
    }

    public CrossVmSpec spec() {
        return spec;
    }

    /** The dataport's memory, exactly {@code spec().dataportSize()} bytes. */
    public MemorySegment dataport() {
        return dataport.asSlice(0, spec.dataportSize());
    }

    public int irq() {
        return irq;
    }

    /**
     * Who hears the doorbell: called on the VM's thread, inside the guest's register write, after a release
     * fence. Until something is connected a doorbell is only counted.
     */
    public void connect(Runnable doorbell) {
        this.doorbell = Objects.requireNonNull(doorbell, "doorbell");
    }

    /**
     * The component emitted its event (any thread): on the VM's thread the STATUS register becomes 1 and the
     * interrupt line goes high until the guest acknowledges. Events arriving while one is pending merge
     * into it, as notification signals do.
     */
    public void eventFromPeer() {
        vmThread.execute(this::deliver);
    }

    /** Runs {@code task} on the VM's thread between slices (for the side that links the connector). */
    public void onVmThread(Runnable task) {
        vmThread.execute(task);
    }

    private void deliver() {
        // Pairs with the component's release fence before its signal: its dataport writes are visible to the guest.
        VarHandle.acquireFence();
        events++;
        pending = true;
        line.set(true);
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v |= (long) byteAt(offset + i) << (8 * i);
        }
        return v;
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        if (offset >= CrossVmRegisters.DOORBELL && offset < CrossVmRegisters.DOORBELL + 4) {
            ring();
        } else if (offset >= CrossVmRegisters.STATUS && offset < CrossVmRegisters.STATUS + 4) {
            pending = false;
            line.set(false);
        }
    }

    private void ring() {
        rung++;
        Runnable d = doorbell;
        if (d == null) {
            if (!unconnectedNoted) {
                unconnectedNoted = true;
                notes.accept("cross-VM connector " + spec.name() + ": the guest rang the doorbell, but no component is connected");
            }
            return;
        }
        // The guest's dataport stores happened on this thread; publish them before the component is told.
        VarHandle.releaseFence();
        try {
            d.run();
        } catch (RuntimeException e) {
            notes.accept("cross-VM connector " + spec.name() + ": the doorbell failed: " + e.getMessage());
        }
    }

    private int byteAt(long offset) {
        if (offset >= CrossVmRegisters.NAME && offset < CrossVmRegisters.DATA_LO) {
            int i = (int) (offset - CrossVmRegisters.NAME);
            return i < name.length ? name[i] & 0xff : 0;
        }
        if (offset < 0 || offset >= CrossVmRegisters.SPAN) {
            return 0;
        }
        long word = register((int) offset & ~3);
        return (int) (word >>> (8 * (offset & 3))) & 0xff;
    }

    private long register(int offset) {
        return switch (offset) {
            case CrossVmRegisters.STATUS -> pending ? 1 : 0;
            case CrossVmRegisters.DATA_LO -> spec.dataportAddress() & 0xffff_ffffL;
            case CrossVmRegisters.DATA_HI -> spec.dataportAddress() >>> 32;
            case CrossVmRegisters.DATA_SIZE -> spec.dataportSize() & 0xffff_ffffL;
            case CrossVmRegisters.IRQ -> irq;
            case CrossVmRegisters.RUNG -> rung & 0xffff_ffffL;
            case CrossVmRegisters.EVENTS -> events & 0xffff_ffffL;
            case CrossVmRegisters.MAGIC -> CrossVmRegisters.MAGIC_VALUE;
            default -> 0;
        };
    }

    /** The register state (VM thread). */
    public CrossVmState state() {
        return new CrossVmState(pending, rung, events);
    }

    /** Restores register state and drives the interrupt line to match (VM thread). */
    public void restore(CrossVmState s) {
        pending = s.pending();
        rung = s.rung();
        events = s.events();
        line.set(pending);
    }
}
