package dev.sel4sim.virtio.pci;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.mem.GuestMemory;
import dev.sel4sim.virtio.queue.QueueLayout;
import dev.sel4sim.virtio.queue.VirtqueueError;
import dev.sel4sim.virtio.transport.InterruptLine;
import dev.sel4sim.virtio.transport.VirtioTransportCore;

/**
 * The legacy virtio-pci register block (virtio 1.x section 4.1.4.8, "Legacy Interfaces: A Note on PCI Device
 * Layout"), without MSI-X, in front of one {@link VirtioDevice}: what a transitional device shows a legacy driver
 * through its I/O BAR0. Offsets are from the start of the BAR; the PCI function routes the guest's port accesses
 * to {@link #read} and {@link #write} and its INTx pin follows the {@link InterruptLine}. Both calls must come
 * from the thread that owns the VM.
 *
 * <pre>
 *  0  host features, bits 0-31       32  R
 *  4  guest features, bits 0-31      32  R/W
 *  8  queue PFN (4096-byte pages)    32  R/W   0 disables the selected queue
 * 12  queue size                     16  R     the device's size; a legacy driver cannot choose
 * 14  queue select                   16  R/W
 * 16  queue notify                   16  W
 * 18  device status                   8  R/W   0 resets the device
 * 19  ISR status                      8  R     reading clears it and drops the line
 * 20  device configuration space         R/W   1, 2 or 4 bytes at a time
 * </pre>
 *
 * Registers answer only accesses of their own width at their own offset; anything else reads as 0 and is not
 * written. A queue's rings are contiguous from its PFN with the used ring 4096-aligned (the legacy layout).
 *
 * <p>A driver's mistake (a PFN whose rings are outside RAM, a malformed chain) breaks this device only: see
 * {@link VirtioTransportCore}. No exception leaves this class.
 */
public final class VirtioPciLegacyTransport {
    public static final int HOST_FEATURES = 0;
    public static final int GUEST_FEATURES = 4;
    public static final int QUEUE_PFN = 8;
    public static final int QUEUE_SIZE = 12;
    public static final int QUEUE_SELECT = 14;
    public static final int QUEUE_NOTIFY = 16;
    public static final int DEVICE_STATUS = 18;
    public static final int ISR_STATUS = 19;
    /** Where the device configuration space starts when MSI-X is off (it always is here). */
    public static final int CONFIG = 20;
    /** The unit of the queue PFN register and the alignment of the used ring. */
    public static final int PAGE_SIZE = 4096;

    private final VirtioTransportCore core;

    // The block's own registers: plain fields, snapshot material (the rest lives in the core).
    private int queueSelect;
    private final int[] queuePfn;

    /**
     * @param device  the device behind the registers; attached to this transport now
     * @param memory  guest RAM
     * @param line    the interrupt output (the function's INTx), level-triggered
     * @param onError told once each time the device breaks (for the VMM's log)
     */
    public VirtioPciLegacyTransport(VirtioDevice device, GuestMemory memory, InterruptLine line,
            Consumer<VirtqueueError> onError) {
        this.core = new VirtioTransportCore(device, memory, false, line, onError);
        this.queuePfn = new int[core.queueCount()];
    }

    /** @return the device behind the registers */
    public VirtioDevice device() {
        return core.device();
    }

    /** @return bytes the registers and the device configuration space take: BAR0 must cover at least this */
    public int registerBytes() {
        return CONFIG + core.configLength();
    }

    /** @return the device status */
    public int status() {
        return core.status();
    }

    /** @return the error that broke the device, until the driver resets it */
    public Optional<VirtqueueError> error() {
        return core.error();
    }

    /** @return the interrupt line's level */
    public boolean interruptLevel() {
        return core.interruptLevel();
    }

    /** @return every feature bit offered to the driver (32 bits: a legacy driver sees no more) */
    public long offeredFeatures() {
        return core.offeredFeatures();
    }

    /** @return the features the driver accepted, limited to those offered */
    public long negotiatedFeatures() {
        return core.negotiatedFeatures();
    }

    /**
     * A guest read of {@code size} (1, 2 or 4) bytes at {@code offset} into the register block.
     *
     * @return the value, zero-extended; 0 for write-only registers, wrong widths and offsets past the block.
     *         Reading the ISR status clears it.
     */
    public int read(int offset, int size) {
        if (offset >= CONFIG) {
            return size == 1 || size == 2 || size == 4 ? (int) core.readConfig(offset - CONFIG, size) : 0;
        }
        if (offset < 0 || size != width(offset)) {
            return 0;
        }
        return switch (offset) {
            case HOST_FEATURES -> (int) core.offeredFeatureWord(0);
            case GUEST_FEATURES -> (int) core.driverFeatures();
            case QUEUE_PFN -> core.queueExists(queueSelect) ? queuePfn[queueSelect] : 0;
            case QUEUE_SIZE -> core.queueMaxSize(queueSelect) & 0xffff;
            case QUEUE_SELECT -> queueSelect;
            case DEVICE_STATUS -> core.status();
            case ISR_STATUS -> core.takeInterruptStatus();
            default -> 0;
        };
    }

    /** A guest write of the low {@code size} (1, 2 or 4) bytes of {@code value} at {@code offset}. */
    public void write(int offset, int size, int value) {
        if (offset >= CONFIG) {
            if (size == 1 || size == 2 || size == 4) {
                core.writeConfig(offset - CONFIG, size, value & mask(size));
            }
            return;
        }
        if (offset < 0 || size != width(offset)) {
            return;
        }
        switch (offset) {
            case GUEST_FEATURES -> core.writeDriverFeatures(0, value & 0xffff_ffffL);
            case QUEUE_PFN -> writeQueuePfn(value);
            case QUEUE_SELECT -> queueSelect = value & 0xffff;
            case QUEUE_NOTIFY -> core.notifyQueue(value & 0xffff);
            case DEVICE_STATUS -> writeStatus(value & 0xff);
            default -> {
            }
        }
    }

    private static int width(int offset) {
        return switch (offset) {
            case HOST_FEATURES, GUEST_FEATURES, QUEUE_PFN -> 4;
            case QUEUE_SIZE, QUEUE_SELECT, QUEUE_NOTIFY -> 2;
            case DEVICE_STATUS, ISR_STATUS -> 1;
            default -> -1;
        };
    }

    private static long mask(int size) {
        return size == 4 ? 0xffff_ffffL : (1L << (8 * size)) - 1;
    }

    private void writeQueuePfn(int pfn) {
        int index = queueSelect;
        if (!core.queueExists(index)) {
            return;
        }
        queuePfn[index] = pfn;
        core.disableQueue(index);
        if (pfn != 0) {
            core.enableQueue(index, QueueLayout.legacy(core.queueMaxSize(index), Integer.toUnsignedLong(pfn),
                    PAGE_SIZE, PAGE_SIZE));
        }
    }

    private void writeStatus(int value) {
        if (value == 0) {
            queueSelect = 0;
            Arrays.fill(queuePfn, 0);
        }
        core.writeStatus(value);
    }
}
