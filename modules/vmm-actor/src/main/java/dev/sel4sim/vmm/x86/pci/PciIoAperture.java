package dev.sel4sim.vmm.x86.pci;

import dev.sel4sim.vmm.x86.dev.IoPortHandler;

/**
 * The I/O port range the host bridge forwards to PCI, as one {@link IoPortHandler} the machine registers
 * once (for instance 0x1000-0xFFFF, above the ISA devices). Each access goes to the first function on
 * the bus that decodes the port at that moment ({@link PciIoTarget#decodesIo}), so BARs the guest
 * assigns or moves, and I/O decode it turns on or off, take effect at once. A port no function decodes
 * reads as all ones, as an empty bus does.
 */
public final class PciIoAperture implements IoPortHandler {
    /** Where PCI I/O BARs may live on a PC: below are the ISA devices and the configuration ports. */
    public static final int FIRST_PORT = 0x1000;
    /** Ports from {@link #FIRST_PORT} to the end of the 64 KiB I/O space. */
    public static final int PORT_COUNT = 0x10000 - FIRST_PORT;

    private final PciBus bus;

    public PciIoAperture(PciBus bus) {
        this.bus = bus;
    }

    @Override
    public int read(int port, int size) {
        PciIoTarget target = target(port);
        if (target == null) {
            return size >= 4 ? -1 : (1 << (8 * size)) - 1;
        }
        return target.ioRead(port, size);
    }

    @Override
    public void write(int port, int size, int value) {
        PciIoTarget target = target(port);
        if (target != null) {
            target.ioWrite(port, size, value);
        }
    }

    private PciIoTarget target(int port) {
        for (PciFunction f : bus.functions()) {
            if (f instanceof PciIoTarget t && t.decodesIo(port)) {
                return t;
            }
        }
        return null;
    }
}
