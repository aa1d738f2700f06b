package dev.sel4sim.virtio.mmio;

import static dev.sel4sim.virtio.mmio.MmioRegisters.*;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import dev.sel4sim.virtio.device.DeviceContext;
import dev.sel4sim.virtio.device.DeviceStatus;
import dev.sel4sim.virtio.device.FeatureBits;
import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.mem.GuestMemory;
import dev.sel4sim.virtio.mem.GuestMemoryException;
import dev.sel4sim.virtio.queue.QueueLayout;
import dev.sel4sim.virtio.queue.SplitVirtqueue;
import dev.sel4sim.virtio.queue.VirtqueueError;
import dev.sel4sim.virtio.queue.VirtqueueError.Reason;
import dev.sel4sim.virtio.queue.VirtqueueException;

/**
 * A virtio-mmio register window (virtio 1.x section 4.2) in front of one {@link VirtioDevice}: the VMM routes
 * the guest's accesses to the window to {@link #read} and {@link #write}, and wires {@link InterruptLine} to an
 * SPI. Both calls must come from the thread that owns the VM.
 *
 * <p>Anything the driver gets wrong (a bad queue set-up, a malformed chain found while the device works) sets
 * DEVICE_NEEDS_RESET, raises a configuration interrupt, reports the {@link VirtqueueError} once to the error
 * listener, and freezes this device's queues until the driver writes 0 to Status. No exception leaves this
 * class.
 */
public final class VirtioMmioTransport {
    private final VirtioDevice device;
    private final GuestMemory memory;
    private final MmioMode mode;
    private final InterruptLine line;
    private final Consumer<VirtqueueError> onError;
    private final Context context = new Context();

    // Registers and negotiated state: plain fields, all of it snapshot material.
    private int deviceFeaturesSel;
    private int driverFeaturesSel;
    private long driverFeatures;
    private long negotiated;
    private int status;
    private int interruptStatus;
    private int configGeneration;
    private int queueSel;
    private long guestPageSize = 4096; // survives reset: Linux writes it once, at probe time
    private final QueueRegisters[] queueRegs;
    private final SplitVirtqueue[] queues;
    private VirtqueueError error;
    private boolean lineLevel;

    /**
     * @param device  the device behind the window; attached to this transport now
     * @param memory  guest RAM
     * @param mode    legacy (version 1) or modern (version 2) register layout
     * @param line    the interrupt output
     * @param onError told once each time the device breaks (for the VMM's log)
     */
    public VirtioMmioTransport(VirtioDevice device, GuestMemory memory, MmioMode mode, InterruptLine line,
            Consumer<VirtqueueError> onError) {
        this.device = Objects.requireNonNull(device, "device");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.line = Objects.requireNonNull(line, "line");
        this.onError = Objects.requireNonNull(onError, "onError");
        int n = device.queueCount();
        this.queueRegs = new QueueRegisters[n];
        this.queues = new SplitVirtqueue[n];
        for (int i = 0; i < n; i++) {
            queueRegs[i] = new QueueRegisters(device.queueMaxSize(i));
        }
        device.attach(context);
    }

    /** @return the device behind this window */
    public VirtioDevice device() {
        return device;
    }

    /** @return the register layout */
    public MmioMode mode() {
        return mode;
    }

    /** @return the Status register */
    public int status() {
        return status;
    }

    /** @return the error that broke the device, until the driver resets it */
    public Optional<VirtqueueError> error() {
        return Optional.ofNullable(error);
    }

    /** @return the interrupt line's level */
    public boolean interruptLevel() {
        return lineLevel;
    }

    /** @return every feature bit offered to the driver */
    public long offeredFeatures() {
        long f = device.deviceFeatures() | FeatureBits.bit(FeatureBits.INDIRECT_DESC) | FeatureBits.bit(FeatureBits.EVENT_IDX);
        return mode == MmioMode.MODERN ? f | FeatureBits.bit(FeatureBits.VERSION_1) : f & 0xffff_ffffL;
    }

    /** @return the features both sides agreed on (FEATURES_OK in modern mode; as written, in legacy mode) */
    public long negotiatedFeatures() {
        return negotiated;
    }

    /**
     * A guest read of {@code size} bytes at {@code offset} into the window.
     *
     * @return the value, zero-extended; 0 for reserved or write-only registers
     */
    public long read(long offset, int size) {
        if (offset >= CONFIG) {
            return readConfig(offset - CONFIG, size);
        }
        if (size != 4 || offset < 0) {
            return 0;
        }
        QueueRegisters q = selectedQueue();
        return switch ((int) offset) {
            case MAGIC_VALUE -> MAGIC;
            case VERSION -> mode.version();
            case DEVICE_ID -> device.deviceId();
            case VENDOR_ID -> VENDOR;
            case DEVICE_FEATURES -> deviceFeaturesSel < 2 ? (offeredFeatures() >>> (32 * deviceFeaturesSel)) & 0xffff_ffffL : 0;
            case QUEUE_NUM_MAX -> q == null ? 0 : device.queueMaxSize(queueSel);
            case QUEUE_READY -> mode == MmioMode.MODERN && q != null && q.ready ? 1 : 0;
            case QUEUE_PFN -> mode == MmioMode.LEGACY && q != null ? q.pfn & 0xffff_ffffL : 0;
            case INTERRUPT_STATUS -> interruptStatus;
            case STATUS -> status;
            case CONFIG_GENERATION -> configGeneration & 0xffff_ffffL;
            // No shared memory regions: the spec's "absent" answer is all ones.
            case SHM_LEN_LOW, SHM_LEN_HIGH, SHM_BASE_LOW, SHM_BASE_HIGH -> mode == MmioMode.MODERN ? 0xffff_ffffL : 0;
            default -> 0;
        };
    }

    /** A guest write of the low {@code size} bytes of {@code value} at {@code offset} into the window. */
    public void write(long offset, int size, long value) {
        if (offset >= CONFIG) {
            guarded(() -> device.writeConfig((int) (offset - CONFIG), size, value));
            return;
        }
        if (size != 4 || offset < 0) {
            return;
        }
        int v = (int) value;
        long u = value & 0xffff_ffffL;
        QueueRegisters q = selectedQueue();
        switch ((int) offset) {
            case DEVICE_FEATURES_SEL -> deviceFeaturesSel = v;
            case DRIVER_FEATURES_SEL -> driverFeaturesSel = v;
            case DRIVER_FEATURES -> writeDriverFeatures(u);
            case GUEST_PAGE_SIZE -> {
                if (mode == MmioMode.LEGACY) {
                    guestPageSize = u;
                }
            }
            case QUEUE_SEL -> queueSel = v;
            case QUEUE_NUM -> {
                if (q != null && !q.ready) {
                    q.num = v;
                }
            }
            case QUEUE_ALIGN -> {
                if (mode == MmioMode.LEGACY && q != null && !q.ready) {
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
                    QUEUE_DEVICE_HIGH -> writeQueueAddress(q, (int) offset, u);
            case QUEUE_NOTIFY -> notifyQueue(v);
            case INTERRUPT_ACK -> {
                interruptStatus &= ~v;
                updateLine();
            }
            case STATUS -> writeStatus(v & 0xff);
            default -> {
            }
        }
    }

    private QueueRegisters selectedQueue() {
        return queueSel >= 0 && queueSel < queueRegs.length ? queueRegs[queueSel] : null;
    }

    private long readConfig(long offset, int size) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            return 0;
        }
        byte[] config;
        try {
            config = device.configSpace();
        } catch (RuntimeException e) {
            fail(new VirtqueueError(Reason.DEVICE_FAULT, -1, "reading configuration space: " + e));
            return 0;
        }
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            long at = offset + i;
            value = (value << 8) | (at < config.length ? config[(int) at] & 0xff : 0);
        }
        return value;
    }

    private void writeDriverFeatures(long word) {
        if (driverFeaturesSel > 1 || (status & DeviceStatus.FEATURES_OK) != 0 || (status & DeviceStatus.DRIVER_OK) != 0) {
            return;
        }
        int shift = 32 * driverFeaturesSel;
        driverFeatures = (driverFeatures & ~(0xffff_ffffL << shift)) | (word << shift);
        if (mode == MmioMode.LEGACY) {
            // Legacy drivers have no FEATURES_OK: what they write is what they use.
            negotiated = driverFeatures & offeredFeatures();
        }
    }

    private void writeQueueAddress(QueueRegisters q, int offset, long word) {
        if (mode != MmioMode.MODERN || q == null || q.ready) {
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
        int index = queueSel;
        if (ready == 0) {
            q.ready = false;
            queues[index] = null;
            return;
        }
        if (q.ready) {
            return;
        }
        enableQueue(q, index, new QueueLayout(q.num, q.desc, q.driver, q.device));
    }

    private void writeQueuePfn(QueueRegisters q, long pfn) {
        int index = queueSel;
        q.pfn = pfn;
        q.ready = false;
        queues[index] = null;
        if (pfn == 0) {
            return;
        }
        if (Long.bitCount(guestPageSize) != 1 || Long.bitCount(q.align) != 1) {
            fail(new VirtqueueError(Reason.BAD_QUEUE_CONFIG, index, "GuestPageSize " + guestPageSize + " and QueueAlign "
                    + q.align + " must be powers of two"));
            return;
        }
        enableQueue(q, index, QueueLayout.legacy(q.num, pfn, guestPageSize, q.align));
    }

    private void enableQueue(QueueRegisters q, int index, QueueLayout layout) {
        guarded(() -> {
            layout.validate(index, device.queueMaxSize(index), memory);
            queues[index] = new SplitVirtqueue(index, memory, layout,
                    FeatureBits.has(negotiated, FeatureBits.EVENT_IDX),
                    FeatureBits.has(negotiated, FeatureBits.INDIRECT_DESC), device.maxChainBytes(),
                    SplitVirtqueue.State.INITIAL);
            q.ready = true;
        });
    }

    private void notifyQueue(int index) {
        if (index >= 0 && index < queues.length && context.queue(index).isPresent()) {
            guarded(() -> device.queueNotify(index));
        }
    }

    private void writeStatus(int value) {
        if (value == 0) {
            reset();
            return;
        }
        int old = status;
        int next = value | (old & DeviceStatus.DEVICE_NEEDS_RESET);
        if (mode == MmioMode.MODERN && (value & DeviceStatus.FEATURES_OK) != 0 && (old & DeviceStatus.FEATURES_OK) == 0) {
            if (acceptable(driverFeatures)) {
                negotiated = driverFeatures;
            } else {
                next &= ~DeviceStatus.FEATURES_OK;
            }
        }
        if (mode == MmioMode.MODERN && (next & DeviceStatus.FEATURES_OK) == 0) {
            next &= ~DeviceStatus.DRIVER_OK; // the spec's order: no DRIVER_OK before features are agreed
        }
        status = next;
        if ((next & DeviceStatus.DRIVER_OK) != 0 && (old & DeviceStatus.DRIVER_OK) == 0 && error == null) {
            guarded(device::activate);
        }
    }

    private boolean acceptable(long features) {
        return (features & ~offeredFeatures()) == 0 && FeatureBits.has(features, FeatureBits.VERSION_1);
    }

    private void reset() {
        status = 0;
        deviceFeaturesSel = 0;
        driverFeaturesSel = 0;
        driverFeatures = 0;
        negotiated = 0;
        queueSel = 0;
        interruptStatus = 0;
        error = null;
        for (int i = 0; i < queueRegs.length; i++) {
            queueRegs[i] = new QueueRegisters(device.queueMaxSize(i));
            queues[i] = null;
        }
        updateLine();
        guarded(device::reset);
    }

    private void raise(int bits) {
        interruptStatus |= bits;
        updateLine();
    }

    private void updateLine() {
        boolean level = interruptStatus != 0;
        if (level != lineLevel) {
            lineLevel = level;
            line.set(level);
        }
    }

    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (VirtqueueException e) {
            fail(e.error());
        } catch (GuestMemoryException e) {
            fail(new VirtqueueError(Reason.OUTSIDE_RAM, -1, e.getMessage()));
        } catch (RuntimeException e) {
            fail(new VirtqueueError(Reason.DEVICE_FAULT, -1, e.toString()));
        }
    }

    private void fail(VirtqueueError e) {
        if (error != null) {
            return;
        }
        error = e;
        status |= DeviceStatus.DEVICE_NEEDS_RESET;
        raise(INT_CONFIG);
        try {
            onError.accept(e);
        } catch (RuntimeException ignored) {
            // The listener only reports; the error stays readable through error().
        }
    }

    /** The device's view of this transport. */
    private final class Context implements DeviceContext {
        @Override
        public GuestMemory memory() {
            return memory;
        }

        @Override
        public Optional<SplitVirtqueue> queue(int index) {
            if (error != null || (status & DeviceStatus.DRIVER_OK) == 0 || index < 0 || index >= queues.length) {
                return Optional.empty();
            }
            return Optional.ofNullable(queues[index]);
        }

        @Override
        public boolean negotiated(int bit) {
            return FeatureBits.has(negotiated, bit);
        }

        @Override
        public void usedBuffers(int index) {
            SplitVirtqueue q = index >= 0 && index < queues.length ? queues[index] : null;
            if (q != null && error == null && q.needsInterrupt()) {
                raise(INT_USED_BUFFER);
            }
        }

        @Override
        public void configChanged() {
            configGeneration++;
            if ((status & DeviceStatus.DRIVER_OK) != 0) {
                raise(INT_CONFIG);
            }
        }

        @Override
        public void run(Runnable work) {
            guarded(work);
        }
    }
}
