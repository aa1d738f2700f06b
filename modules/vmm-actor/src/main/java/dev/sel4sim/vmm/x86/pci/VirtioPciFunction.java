package dev.sel4sim.vmm.x86.pci;

import java.util.function.Consumer;

import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.mem.GuestMemory;
import dev.sel4sim.virtio.pci.VirtioPciLegacyTransport;
import dev.sel4sim.virtio.queue.VirtqueueError;
import dev.sel4sim.vmm.x86.dev.IrqLine;

/**
 * A transitional virtio-pci function as a legacy driver finds it: vendor 0x1AF4, a transitional device
 * ID (0x1000 net, 0x1001 block, 0x1003 console), revision 0 (the legacy ABI), the virtio device ID as
 * subsystem ID, the device type's class code, interrupt pin INTA, and the legacy register block
 * ({@link VirtioPciLegacyTransport}) behind I/O BAR0. No MSI-X and no modern capabilities, so Linux's
 * modern probe declines it and its legacy driver takes it.
 *
 * <p>The I/O window is wherever the guest puts BAR0, while I/O decode is on: the machine routes its PCI
 * I/O ports through a {@link PciIoAperture}, which asks {@link #decodesIo} on every access. INTx is a
 * level line, high while the transport's ISR has bits set and the guest has not set INTx Disable.
 * Everything is called on the VCPU's thread (port and configuration accesses) or the VM's thread between
 * slices (device work); those are the same thread in the x86 machine.
 */
public final class VirtioPciFunction implements PciFunction, PciIoTarget {
    public static final int VENDOR_VIRTIO = 0x1af4;
    /** Transitional device IDs (virtio 1.x section 4.1.2.1), by virtio device ID. */
    public static final int DEVICE_NET = 0x1000;
    public static final int DEVICE_BLOCK = 0x1001;
    public static final int DEVICE_CONSOLE = 0x1003;
    public static final int CLASS_NET = 0x02_00_00;
    public static final int CLASS_BLOCK = 0x01_00_00;
    public static final int CLASS_CONSOLE = 0x07_80_00;
    /** Interrupt pin INTA#. */
    public static final int PIN_INTA = 1;

    private final PciConfigSpace config;
    private final VirtioPciLegacyTransport transport;
    private final IrqLine intx;
    private final int barSize;
    private boolean request;
    private boolean lineLevel;

    /**
     * @param device  a virtio net (1), block (2) or console (3) device
     * @param memory  guest RAM, for the device's queues
     * @param intx    the function's INTA line, as the machine routes it (a PIC or IOAPIC input)
     * @param onError told once each time the device breaks (for the VMM's log)
     * @throws IllegalArgumentException for a device type without a transitional device ID here (a
     *         configuration error)
     */
    public VirtioPciFunction(VirtioDevice device, GuestMemory memory, IrqLine intx, Consumer<VirtqueueError> onError) {
        int virtioId = device.deviceId();
        this.config = new PciConfigSpace(VENDOR_VIRTIO, transitionalDeviceId(virtioId), classCode(virtioId), 0)
                .subsystem(VENDOR_VIRTIO, virtioId)
                .interruptPin(PIN_INTA);
        this.intx = intx;
        this.transport = new VirtioPciLegacyTransport(device, memory, this::transportInterrupt, onError);
        this.barSize = ioBarSize(transport.registerBytes());
        config.bar(0, BarKind.IO, barSize, false);
    }

    /** @return the transitional PCI device ID of virtio device type {@code virtioId} */
    public static int transitionalDeviceId(int virtioId) {
        return switch (virtioId) {
            case 1 -> DEVICE_NET;
            case 2 -> DEVICE_BLOCK;
            case 3 -> DEVICE_CONSOLE;
            default -> throw new IllegalArgumentException("virtio device type " + virtioId
                    + " has no transitional virtio-pci function here; net (1), block (2) and console (3) do");
        };
    }

    /** @return the PCI class code (base class, sub-class, interface) of virtio device type {@code virtioId} */
    public static int classCode(int virtioId) {
        return switch (virtioId) {
            case 1 -> CLASS_NET;
            case 2 -> CLASS_BLOCK;
            case 3 -> CLASS_CONSOLE;
            default -> throw new IllegalArgumentException("virtio device type " + virtioId + " has no PCI class code here");
        };
    }

    private static int ioBarSize(int bytes) {
        return Math.max(4, Integer.highestOneBit(Math.max(1, bytes - 1)) << 1);
    }

    /** @return the configuration header (for firmware-style set-up by the machine, and for tests) */
    public PciConfigSpace config() {
        return config;
    }

    /** @return the legacy register block behind BAR0 */
    public VirtioPciLegacyTransport transport() {
        return transport;
    }

    /** @return bytes BAR0 decodes: the registers and device configuration, rounded up to a power of two */
    public int barSize() {
        return barSize;
    }

    /** @return the INTx line's level as driven now */
    public boolean interruptLevel() {
        return lineLevel;
    }

    /**
     * Does what a PC BIOS does before the OS runs: puts BAR0 at {@code ioBase}, writes {@code irq} into
     * the Interrupt Line register (Linux takes it from there when it has no routing table), and turns on
     * I/O decode and bus mastering.
     *
     * @throws IllegalArgumentException when {@code ioBase} is not aligned to the BAR's size or leaves
     *         the 64 KiB I/O space, or {@code irq} is not 0-15 (configuration errors)
     */
    public void assign(int ioBase, int irq) {
        if (ioBase <= 0 || ioBase % barSize != 0 || ioBase + barSize > 0x10000) {
            throw new IllegalArgumentException(String.format(
                    "virtio-pci BAR0 at 0x%x: give a non-zero port aligned to its size 0x%x, below 0x10000", ioBase, barSize));
        }
        if (irq < 0 || irq > 15) {
            throw new IllegalArgumentException("virtio-pci interrupt line " + irq + ": give an ISA IRQ 0-15");
        }
        config.configWrite(PciConfigSpace.BAR0, 4, ioBase);
        config.configWrite(PciConfigSpace.INTERRUPT_LINE, 1, irq);
        config.configWrite(PciConfigSpace.COMMAND, 2, config.configRead(PciConfigSpace.COMMAND, 2)
                | PciConfigSpace.COMMAND_IO | PciConfigSpace.COMMAND_BUS_MASTER);
    }

    @Override
    public int configRead(int offset, int size) {
        return config.configRead(offset, size);
    }

    @Override
    public void configWrite(int offset, int size, int value) {
        config.configWrite(offset, size, value);
        updateLine(); // the guest may have flipped INTx Disable
    }

    @Override
    public boolean decodesIo(int port) {
        if (!config.ioEnabled()) {
            return false;
        }
        long base = config.barAddress(0);
        // A BAR still at 0 is unassigned: it must not shadow the ISA ports at the bottom of the space.
        return base != 0 && port >= base && port < base + barSize;
    }

    @Override
    public int ioRead(int port, int size) {
        return transport.read(offset(port), size);
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        transport.write(offset(port), size, value);
    }

    private int offset(int port) {
        return (int) (port - config.barAddress(0));
    }

    private void transportInterrupt(boolean level) {
        request = level;
        updateLine();
    }

    private void updateLine() {
        config.setInterruptStatus(request);
        boolean level = request && !config.intxDisabled();
        if (level != lineLevel) {
            lineLevel = level;
            intx.set(level);
        }
    }
}
