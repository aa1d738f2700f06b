package dev.sel4sim.vmm.x86.pci;

/** The host bridge at 00:00.0, identified as Intel's 440FX (8086:1237), as Linux expects on a PC. */
public final class PciHostBridge {
    public static final int VENDOR_INTEL = 0x8086;
    public static final int DEVICE_440FX = 0x1237;
    /** Bridge device, host bridge. */
    public static final int CLASS_HOST_BRIDGE = 0x06_00_00;

    private PciHostBridge() {
    }

    /** A fresh configuration space for the bridge. */
    public static PciConfigSpace create() {
        return new PciConfigSpace(VENDOR_INTEL, DEVICE_440FX, CLASS_HOST_BRIDGE, 0x02);
    }

    /** A bus with the host bridge already at 00:00.0. */
    public static PciBus busWithHostBridge() {
        PciBus bus = new PciBus();
        bus.attach(0, 0, create());
        return bus;
    }
}
