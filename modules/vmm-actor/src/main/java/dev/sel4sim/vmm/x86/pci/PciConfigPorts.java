package dev.sel4sim.vmm.x86.pci;

import dev.sel4sim.vmm.x86.dev.IoPortHandler;

/**
 * PCI configuration mechanism #1: the address register at 0xCF8 (enable bit 31, bus, device, function
 * and dword-aligned register) and the data window at 0xCFC-0xCFF, plus the reset control register at
 * 0xCF9 that shares the range (a byte access there is not the address register). Register for the
 * eight ports from 0xCF8.
 */
public final class PciConfigPorts implements IoPortHandler {
    public static final int ADDRESS = 0xcf8;
    public static final int RESET_CONTROL = 0xcf9;
    public static final int DATA = 0xcfc;

    private final PciBus bus;
    private final Runnable resetRequest;
    private int address;
    private int resetControl;

    /**
     * @param bus the bus behind the window
     * @param resetRequest called when the guest asks for a reset through 0xCF9 (bit 2 set)
     */
    public PciConfigPorts(PciBus bus, Runnable resetRequest) {
        this.bus = bus;
        this.resetRequest = resetRequest;
    }

    @Override
    public int read(int port, int size) {
        if (port == ADDRESS && size == 4) {
            return address;
        }
        if (port == RESET_CONTROL && size == 1) {
            return resetControl;
        }
        if (port >= DATA && port + size <= DATA + 4 && (address & 0x8000_0000) != 0) {
            return bus.configRead(busNumber(), device(), function(), register() + (port - DATA), size);
        }
        return size >= 4 ? -1 : (1 << (8 * size)) - 1;
    }

    @Override
    public void write(int port, int size, int value) {
        if (port == ADDRESS && size == 4) {
            address = value & 0x80ff_fffc;
            return;
        }
        if (port == RESET_CONTROL && size == 1) {
            resetControl = value & 0x0e;
            if ((value & 0x04) != 0) {
                resetRequest.run();
            }
            return;
        }
        if (port >= DATA && port + size <= DATA + 4 && (address & 0x8000_0000) != 0) {
            bus.configWrite(busNumber(), device(), function(), register() + (port - DATA), size, value);
        }
    }

    private int busNumber() {
        return (address >> 16) & 0xff;
    }

    private int device() {
        return (address >> 11) & 0x1f;
    }

    private int function() {
        return (address >> 8) & 0x7;
    }

    private int register() {
        return address & 0xfc;
    }
}
