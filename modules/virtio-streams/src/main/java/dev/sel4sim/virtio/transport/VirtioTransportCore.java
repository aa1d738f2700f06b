package dev.sel4sim.virtio.transport;

import java.util.Arrays;
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
 * The part of a virtio transport that does not depend on how registers are laid out (virtio 1.x sections 2 and
 * 3): device status and reset, feature negotiation, the device's virtqueues, the interrupt status bits and the
 * level line that follows them, configuration space, and the {@link DeviceContext} the device sees. A register
 * window (virtio-mmio, virtio-pci) owns one, decodes the guest's accesses and keeps only its own selectors and
 * queue address registers.
 *
 * <p>Anything the driver gets wrong (a bad queue set-up, a malformed chain found while the device works) sets
 * DEVICE_NEEDS_RESET, raises a configuration interrupt, reports the {@link VirtqueueError} once to the error
 * listener, and freezes this device's queues until the driver writes 0 to the status. No exception leaves this
 * class. Every method must be called on the thread that owns the VM.
 */
public final class VirtioTransportCore {
    /** Interrupt status (ISR) bit: a queue has new used buffers. */
    public static final int INT_USED_BUFFER = 1;
    /** Interrupt status (ISR) bit: the configuration changed, or the device needs a reset. */
    public static final int INT_CONFIG = 2;

    private final VirtioDevice device;
    private final GuestMemory memory;
    private final boolean modern;
    private final InterruptLine line;
    private final Consumer<VirtqueueError> onError;

    // Negotiated state and the status/interrupt registers: plain fields, all of it snapshot material.
    private long driverFeatures;
    private long negotiated;
    private int status;
    private int interruptStatus;
    private int configGeneration;
    private final SplitVirtqueue[] queues;
    private VirtqueueError error;
    private boolean lineLevel;

    /**
     * Attaches {@code device} to this core.
     *
     * @param device  the device behind the transport
     * @param memory  guest RAM
     * @param modern  virtio 1.x negotiation (VERSION_1 offered, FEATURES_OK step) rather than legacy
     * @param line    the interrupt output, high while any interrupt status bit is set
     * @param onError told once each time the device breaks (for the VMM's log)
     */
    public VirtioTransportCore(VirtioDevice device, GuestMemory memory, boolean modern, InterruptLine line,
            Consumer<VirtqueueError> onError) {
        this.device = Objects.requireNonNull(device, "device");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.modern = modern;
        this.line = Objects.requireNonNull(line, "line");
        this.onError = Objects.requireNonNull(onError, "onError");
        this.queues = new SplitVirtqueue[device.queueCount()];
        device.attach(new Context());
    }

    /** @return the device */
    public VirtioDevice device() {
        return device;
    }

    /** @return whether this core negotiates as a virtio 1.x (non-legacy) transport */
    public boolean modern() {
        return modern;
    }

    // ---- features

    /** @return every feature bit offered to the driver: the device's plus the transport's generic ones */
    public long offeredFeatures() {
        long f = device.deviceFeatures() | FeatureBits.bit(FeatureBits.INDIRECT_DESC) | FeatureBits.bit(FeatureBits.EVENT_IDX);
        return modern ? f | FeatureBits.bit(FeatureBits.VERSION_1) : f & 0xffff_ffffL;
    }

    /** @return 32-bit word {@code word} (0 or 1) of the offered features; 0 for any other word */
    public long offeredFeatureWord(int word) {
        return word == 0 || word == 1 ? (offeredFeatures() >>> (32 * word)) & 0xffff_ffffL : 0;
    }

    /** @return the features as the driver last wrote them */
    public long driverFeatures() {
        return driverFeatures;
    }

    /** @return the features both sides agreed on (at FEATURES_OK when modern; as written when legacy) */
    public long negotiatedFeatures() {
        return negotiated;
    }

    /**
     * The driver writes 32-bit word {@code word} (0 or 1) of its features. Ignored for other words and once the
     * features are settled (FEATURES_OK or DRIVER_OK set). A legacy driver has no FEATURES_OK: what it writes is
     * what it uses, limited to what was offered.
     */
    public void writeDriverFeatures(int word, long value) {
        if (word < 0 || word > 1 || (status & (DeviceStatus.FEATURES_OK | DeviceStatus.DRIVER_OK)) != 0) {
            return;
        }
        int shift = 32 * word;
        driverFeatures = (driverFeatures & ~(0xffff_ffffL << shift)) | ((value & 0xffff_ffffL) << shift);
        if (!modern) {
            negotiated = driverFeatures & offeredFeatures();
        }
    }

    // ---- status

    /** @return the device status */
    public int status() {
        return status;
    }

    /** @return the error that broke the device, until the driver resets it */
    public Optional<VirtqueueError> error() {
        return Optional.ofNullable(error);
    }

    /**
     * The driver writes the device status. 0 resets the device ({@link #reset()}); FEATURES_OK is refused (left
     * clear) for features that were not offered or lack VERSION_1; DRIVER_OK activates the device.
     */
    public void writeStatus(int value) {
        value &= 0xff;
        if (value == 0) {
            reset();
            return;
        }
        int old = status;
        int next = value | (old & DeviceStatus.DEVICE_NEEDS_RESET);
        if (modern && (value & DeviceStatus.FEATURES_OK) != 0 && (old & DeviceStatus.FEATURES_OK) == 0) {
            if (acceptable(driverFeatures)) {
                negotiated = driverFeatures;
            } else {
                next &= ~DeviceStatus.FEATURES_OK;
            }
        }
        if (modern && (next & DeviceStatus.FEATURES_OK) == 0) {
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

    /**
     * Resets the device: status, features, queues, interrupt status and error are cleared, the line drops, and
     * the device forgets its queues. The configuration generation survives (it only ever counts up).
     */
    public void reset() {
        status = 0;
        driverFeatures = 0;
        negotiated = 0;
        interruptStatus = 0;
        error = null;
        Arrays.fill(queues, null);
        updateLine();
        guarded(device::reset);
    }

    // ---- queues

    /** @return how many queues the device has */
    public int queueCount() {
        return queues.length;
    }

    /** @return whether {@code index} names one of the device's queues */
    public boolean queueExists(int index) {
        return index >= 0 && index < queues.length;
    }

    /** @return the device's maximum size for queue {@code index}, or 0 if there is no such queue */
    public int queueMaxSize(int index) {
        return queueExists(index) ? device.queueMaxSize(index) : 0;
    }

    /** @return whether queue {@code index} was enabled and not disabled or reset since */
    public boolean queueEnabled(int index) {
        return queueExists(index) && queues[index] != null;
    }

    /**
     * Enables queue {@code index} at {@code layout}, with the progress counters at zero. A layout that breaks the
     * rules (size, alignment, outside RAM) breaks the device instead.
     *
     * @return whether the queue is now enabled
     */
    public boolean enableQueue(int index, QueueLayout layout) {
        if (!queueExists(index)) {
            return false;
        }
        queues[index] = null;
        guarded(() -> {
            layout.validate(index, device.queueMaxSize(index), memory);
            queues[index] = new SplitVirtqueue(index, memory, layout, FeatureBits.has(negotiated, FeatureBits.EVENT_IDX),
                    FeatureBits.has(negotiated, FeatureBits.INDIRECT_DESC), device.maxChainBytes(),
                    SplitVirtqueue.State.INITIAL);
        });
        return queues[index] != null;
    }

    /** Disables queue {@code index}: the device no longer sees it. */
    public void disableQueue(int index) {
        if (queueExists(index)) {
            queues[index] = null;
        }
    }

    /** The driver notified queue {@code index}; ignored unless the device may use that queue now. */
    public void notifyQueue(int index) {
        if (usable(index) != null) {
            guarded(() -> device.queueNotify(index));
        }
    }

    private SplitVirtqueue usable(int index) {
        if (error != null || (status & DeviceStatus.DRIVER_OK) == 0 || !queueExists(index)) {
            return null;
        }
        return queues[index];
    }

    // ---- interrupts

    /** @return the interrupt status bits ({@link #INT_USED_BUFFER}, {@link #INT_CONFIG}) */
    public int interruptStatus() {
        return interruptStatus;
    }

    /** The driver acknowledges interrupt status {@code bits}; the line drops once none are left. */
    public void acknowledge(int bits) {
        interruptStatus &= ~bits;
        updateLine();
    }

    /** @return the interrupt status bits, clearing them and dropping the line (a legacy ISR read) */
    public int takeInterruptStatus() {
        int bits = interruptStatus;
        acknowledge(bits);
        return bits;
    }

    /** @return the interrupt line's level */
    public boolean interruptLevel() {
        return lineLevel;
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

    // ---- configuration space

    /** @return how many bytes of configuration space the device has now (0 if it cannot say) */
    public int configLength() {
        try {
            return device.configSpace().length;
        } catch (RuntimeException e) {
            fail(new VirtqueueError(Reason.DEVICE_FAULT, -1, "reading configuration space: " + e));
            return 0;
        }
    }

    /**
     * @return {@code size} (1, 2, 4 or 8) bytes of configuration space at {@code offset}, little-endian; bytes past
     *         its end read as zero, other sizes read as zero
     */
    public long readConfig(long offset, int size) {
        if (size != 1 && size != 2 && size != 4 && size != 8 || offset < 0) {
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

    /** The driver writes the low {@code size} bytes of {@code value} at {@code offset} in configuration space. */
    public void writeConfig(long offset, int size, long value) {
        if (offset < 0 || offset > Integer.MAX_VALUE) {
            return;
        }
        guarded(() -> device.writeConfig((int) offset, size, value));
    }

    /** @return the configuration generation, bumped on every device-side configuration change */
    public int configGeneration() {
        return configGeneration;
    }

    // ---- errors

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

    /**
     * Breaks the device for {@code e}: DEVICE_NEEDS_RESET, a configuration interrupt, one report to the error
     * listener. Later errors before the next reset are dropped: the first one is the cause.
     */
    public void fail(VirtqueueError e) {
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

    /** The device's view of its transport. */
    private final class Context implements DeviceContext {
        @Override
        public GuestMemory memory() {
            return memory;
        }

        @Override
        public Optional<SplitVirtqueue> queue(int index) {
            return Optional.ofNullable(usable(index));
        }

        @Override
        public boolean negotiated(int bit) {
            return FeatureBits.has(negotiated, bit);
        }

        @Override
        public void usedBuffers(int index) {
            SplitVirtqueue q = queueExists(index) ? queues[index] : null;
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
