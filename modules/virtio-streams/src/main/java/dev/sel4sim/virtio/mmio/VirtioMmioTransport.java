package dev.sel4sim.virtio.mmio;

import static dev.sel4sim.virtio.mmio.MmioRegisters.*;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.mem.GuestMemory;
import dev.sel4sim.virtio.queue.QueueLayout;
import dev.sel4sim.virtio.queue.VirtqueueError;
import dev.sel4sim.virtio.queue.VirtqueueError.Reason;
import dev.sel4sim.virtio.transport.InterruptLine;
import dev.sel4sim.virtio.transport.VirtioTransportCore;

/**
 * A virtio-mmio register window (virtio 1.x section 4.2) in front of one {@link VirtioDevice}: the VMM routes
 * the guest's accesses to the window to {@link #read} and {@link #write}, and wires {@link InterruptLine} to an
 * SPI. Both calls must come from the thread that owns the VM.
 *
 * <p>Anything the driver gets wrong (a bad queue set-up, a malformed chain found while the device works) sets
 * DEVICE_NEEDS_RESET, raises a configuration interrupt, reports the {@link VirtqueueError} once to the error
 * listener, and freezes this device's queues until the driver writes 0 to Status ({@link VirtioTransportCore}).
 * No exception leaves this class.
 */
public final class VirtioMmioTransport {
    private final VirtioTransportCore core;
    private final MmioMode mode;

    // The window's own registers: plain fields, all of it snapshot material.
    private int deviceFeaturesSel;
    private int driverFeaturesSel;
    private int queueSel;
    private long guestPageSize = 4096; // survives reset: Linux writes it once, at probe time
    private final QueueRegisters[] queueRegs;

    /**
     * @param device  the device behind the window; attached to this transport now
     * @param memory  guest RAM
     * @param mode    legacy (version 1) or modern (version 2) register layout
     * @param line    the interrupt output
     * @param onError told once each time the device breaks (for the VMM's log)
     */
    public VirtioMmioTransport(VirtioDevice device, GuestMemory memory, MmioMode mode, InterruptLine line,
            Consumer<VirtqueueError> onError) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.core = new VirtioTransportCore(device, memory, mode == MmioMode.MODERN, line, onError);
        this.queueRegs = new QueueRegisters[core.queueCount()];
        resetQueueRegisters();
    }

    /** @return the device behind this window */
    public VirtioDevice device() {
        return core.device();
    }

    /** @return the register layout */
    public MmioMode mode() {
        return mode;
    }

    /** @return the Status register */
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

    /** @return every feature bit offered to the driver */
    public long offeredFeatures() {
        return core.offeredFeatures();
    }

    /** @return the features both sides agreed on (FEATURES_OK in modern mode; as written, in legacy mode) */
    public long negotiatedFeatures() {
        return core.negotiatedFeatures();
    }

    /**
     * A guest read of {@code size} bytes at {@code offset} into the window.
     *
     * @return the value, zero-extended; 0 for reserved or write-only registers
     */
    public long read(long offset, int size) {
        if (offset >= CONFIG) {
            return core.readConfig(offset - CONFIG, size);
        }
        if (size != 4 || offset < 0) {
            return 0;
        }
        QueueRegisters q = selectedQueue();
        return switch ((int) offset) {
            case MAGIC_VALUE -> MAGIC;
            case VERSION -> mode.version();
            case DEVICE_ID -> core.device().deviceId();
            case VENDOR_ID -> VENDOR;
            case DEVICE_FEATURES -> core.offeredFeatureWord(deviceFeaturesSel);
            case QUEUE_NUM_MAX -> core.queueMaxSize(queueSel);
            case QUEUE_READY -> mode == MmioMode.MODERN && core.queueEnabled(queueSel) ? 1 : 0;
            case QUEUE_PFN -> mode == MmioMode.LEGACY && q != null ? q.pfn & 0xffff_ffffL : 0;
            case INTERRUPT_STATUS -> core.interruptStatus();
            case STATUS -> core.status();
            case CONFIG_GENERATION -> core.configGeneration() & 0xffff_ffffL;
            // No shared memory regions: the spec's "absent" answer is all ones.
            case SHM_LEN_LOW, SHM_LEN_HIGH, SHM_BASE_LOW, SHM_BASE_HIGH -> mode == MmioMode.MODERN ? 0xffff_ffffL : 0;
            default -> 0;
        };
    }

    /** A guest write of the low {@code size} bytes of {@code value} at {@code offset} into the window. */
    public void write(long offset, int size, long value) {
        if (offset >= CONFIG) {
            core.writeConfig(offset - CONFIG, size, value);
            return;
        }
        if (size != 4 || offset < 0) {
            return;
        }
        int v = (int) value;
        long u = value & 0xffff_ffffL;
        QueueRegisters q = selectedQueue();
        boolean enabled = core.queueEnabled(queueSel);
        switch ((int) offset) {
            case DEVICE_FEATURES_SEL -> deviceFeaturesSel = v;
            case DRIVER_FEATURES_SEL -> driverFeaturesSel = v;
            case DRIVER_FEATURES -> core.writeDriverFeatures(driverFeaturesSel, u);
            case GUEST_PAGE_SIZE -> {
                if (mode == MmioMode.LEGACY) {
                    guestPageSize = u;
                }
            }
            case QUEUE_SEL -> queueSel = v;
            case QUEUE_NUM -> {
                if (q != null && !enabled) {
                    q.num = v;
                }
            }
            case QUEUE_ALIGN -> {
                if (mode == MmioMode.LEGACY && q != null && !enabled) {
                    q.align = u;
                }
            }
            case QUEUE_PFN -> {
                if (mode == MmioMode.LEGACY && q != null) {
                    writeQueuePfn(q, u);
                }
            }
            case QUEUE_READY -> {
                if (mode == MmioMode.MODERN && q != null) {
                    writeQueueReady(q, v & 1);
                }
            }
            case QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH, QUEUE_DEVICE_LOW,
                    QUEUE_DEVICE_HIGH -> writeQueueAddress(q, enabled, (int) offset, u);
            case QUEUE_NOTIFY -> core.notifyQueue(v);
            case INTERRUPT_ACK -> core.acknowledge(v);
            case STATUS -> {
                if ((v & 0xff) == 0) {
                    deviceFeaturesSel = 0;
                    driverFeaturesSel = 0;
                    queueSel = 0;
                    resetQueueRegisters();
                }
                core.writeStatus(v & 0xff);
            }
            default -> {
            }
        }
    }

    private QueueRegisters selectedQueue() {
        return queueSel >= 0 && queueSel < queueRegs.length ? queueRegs[queueSel] : null;
    }

    private void resetQueueRegisters() {
        for (int i = 0; i < queueRegs.length; i++) {
            queueRegs[i] = new QueueRegisters(core.queueMaxSize(i));
        }
    }

    private void writeQueueAddress(QueueRegisters q, boolean enabled, int offset, long word) {
        if (mode != MmioMode.MODERN || q == null || enabled) {
            return;
        }
        switch (offset) {
            case QUEUE_DESC_LOW -> q.desc = low(q.desc, word);
            case QUEUE_DESC_HIGH -> q.desc = high(q.desc, word);
            case QUEUE_DRIVER_LOW -> q.driver = low(q.driver, word);
            case QUEUE_DRIVER_HIGH -> q.driver = high(q.driver, word);
            case QUEUE_DEVICE_LOW -> q.device = low(q.device, word);
            case QUEUE_DEVICE_HIGH -> q.device = high(q.device, word);
            default -> throw new IllegalArgumentException("not a queue address register: " + offset);
        }
    }

    private static long low(long old, long word) {
        return (old & 0xffff_ffff_0000_0000L) | word;
    }

    private static long high(long old, long word) {
        return (old & 0xffff_ffffL) | (word << 32);
    }

    private void writeQueueReady(QueueRegisters q, int ready) {
        if (ready == 0) {
            core.disableQueue(queueSel);
        } else if (!core.queueEnabled(queueSel)) {
            core.enableQueue(queueSel, new QueueLayout(q.num, q.desc, q.driver, q.device));
        }
    }

    private void writeQueuePfn(QueueRegisters q, long pfn) {
        int index = queueSel;
        q.pfn = pfn;
        core.disableQueue(index);
        if (pfn == 0) {
            return;
        }
        if (Long.bitCount(guestPageSize) != 1 || Long.bitCount(q.align) != 1) {
            core.fail(new VirtqueueError(Reason.BAD_QUEUE_CONFIG, index, "GuestPageSize " + guestPageSize
                    + " and QueueAlign " + q.align + " must be powers of two"));
            return;
        }
        core.enableQueue(index, QueueLayout.legacy(q.num, pfn, guestPageSize, q.align));
    }
}
