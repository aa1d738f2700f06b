package dev.sel4sim.vmm.x86.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PciConfigPortsTest {
    final PciBus bus = PciHostBridge.busWithHostBridge();
    int resets;
    final PciConfigPorts ports = new PciConfigPorts(bus, () -> resets++);

    private static int address(int device, int fn, int reg) {
        return 0x8000_0000 | device << 11 | fn << 8 | reg;
    }

    private int read(int device, int fn, int reg, int size) {
        ports.write(0xcf8, 4, address(device, fn, reg & 0xfc));
        return ports.read(0xcfc + (reg & 3), size);
    }

    private void write(int device, int fn, int reg, int size, int value) {
        ports.write(0xcf8, 4, address(device, fn, reg & 0xfc));
        ports.write(0xcfc + (reg & 3), size, value);
    }

    @Test
    void hostBridgeIdentifiesAsThe440fx() {
        assertEquals(0x1237_8086, read(0, 0, 0x00, 4));
        assertEquals(0x8086, read(0, 0, 0x00, 2));
        assertEquals(0x1237, read(0, 0, 0x02, 2));
        assertEquals(0x12, read(0, 0, 0x03, 1));
        assertEquals(0x0600_0002, read(0, 0, 0x08, 4), "class 06/00/00, revision 2");
        assertEquals(0x00, read(0, 0, 0x0e, 1), "header type 0, single function");
    }

    @Test
    void absentFunctionsAndDisabledAccessesReadAllOnes() {
        assertEquals(-1, read(1, 0, 0x00, 4));
        assertEquals(-1, read(0, 1, 0x00, 4));
        assertEquals(0xffff, read(31, 7, 0x00, 2));
        ports.write(0xcf8, 4, 0x0001_0000); // bus 1
        assertEquals(-1, ports.read(0xcfc, 4));
        ports.write(0xcf8, 4, 0x0000_0000); // enable bit clear
        assertEquals(-1, ports.read(0xcfc, 4));
        write(1, 0, 0x04, 2, 0xffff); // a write to nothing goes nowhere
    }

    @Test
    void addressRegisterReadsBackWithoutTheByteOffsetBits() {
        ports.write(0xcf8, 4, 0x8000_0807);
        assertEquals(0x8000_0804, ports.read(0xcf8, 4));
        assertEquals(0xff, ports.read(0xcf8, 1), "a byte read at 0xcf8 is not the address register");
    }

    @Test
    void resetControlRegisterAt0xcf9() {
        ports.write(0xcf9, 1, 0x02);
        assertEquals(0, resets);
        assertEquals(0x02, ports.read(0xcf9, 1));
        ports.write(0xcf9, 1, 0x06);
        assertEquals(1, resets);
        ports.write(0xcf8, 4, address(0, 0, 0));
        assertEquals(0x8000_0000, ports.read(0xcf8, 4), "the byte write did not touch the address register");
    }

    @Test
    void barsReportTheirSizeWhenAllOnesAreWritten() {
        PciConfigSpace dev = new PciConfigSpace(0x1af4, 0x1041, 0x02_00_00, 1)
                .bar(0, BarKind.MEMORY32, 0x1000, false)
                .bar(1, BarKind.IO, 0x20, false)
                .bar(2, BarKind.MEMORY64, 0x4000, true)
                .interruptPin(1);
        bus.attach(3, 0, dev);
        for (int reg = 0x10; reg <= 0x24; reg += 4) {
            write(3, 0, reg, 4, 0xffff_ffff);
        }
        assertEquals(0xffff_f000, read(3, 0, 0x10, 4));
        assertEquals(0xffff_ffe1, read(3, 0, 0x14, 4), "I/O, 32 ports");
        assertEquals(0xffff_c00c, read(3, 0, 0x18, 4), "64-bit prefetchable, 16 KiB");
        assertEquals(0xffff_ffff, read(3, 0, 0x1c, 4), "upper half");
        assertEquals(0, read(3, 0, 0x20, 4), "unused BARs are hard-wired to zero");

        write(3, 0, 0x10, 4, 0xfebf_1234);
        write(3, 0, 0x14, 4, 0xc043);
        write(3, 0, 0x18, 4, 0x0000_8000);
        write(3, 0, 0x1c, 4, 0x0000_0001);
        assertEquals(0xfebf_1000L, dev.barAddress(0));
        assertEquals(0xc040L, dev.barAddress(1));
        assertEquals(0x1_0000_8000L, dev.barAddress(2));
        assertEquals(0xfebf_1000, read(3, 0, 0x10, 4));
    }

    @Test
    void commandStatusAndInterruptRegisters() {
        PciConfigSpace dev = new PciConfigSpace(0x1af4, 0x1043, 0x07_80_00, 1).interruptPin(1);
        bus.attach(4, 0, dev);
        write(4, 0, 0x04, 2, 0xffff);
        assertEquals(0x0547, read(4, 0, 0x04, 2), "only the defined command bits stick");
        assertTrue(dev.ioEnabled() && dev.memoryEnabled() && dev.busMasterEnabled());
        write(4, 0, 0x04, 2, 0);
        assertFalse(dev.memoryEnabled());

        dev.setStatusBits(0x8000 | 0x0100);
        write(4, 0, 0x06, 2, 0x8000); // write 1 to clear "detected parity error" only
        assertEquals(0x0100, read(4, 0, 0x06, 2));
        write(4, 0, 0x04, 4, 0x0100_0000); // a dword write to command also clears status bit 8
        assertEquals(0, read(4, 0, 0x06, 2));

        write(4, 0, 0x3c, 2, 0xffff);
        assertEquals(0x01ff, read(4, 0, 0x3c, 2), "line writable, pin read-only");
        write(4, 0, 0x00, 4, 0);
        assertEquals(0x1043_1af4, read(4, 0, 0x00, 4), "IDs are read-only");
    }

    @Test
    void capabilityListIsChainedFromThePointer() {
        PciConfigSpace dev = new PciConfigSpace(0x1af4, 0x1041, 0x02_00_00, 1);
        int first = dev.addCapability(0x09, new byte[14], null);
        byte[] msixBody = {0x01, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00};
        byte[] msixMask = {0x00, (byte) 0xc0, 0, 0, 0, 0, 0, 0, 0, 0};
        int second = dev.addCapability(0x11, msixBody, msixMask);
        bus.attach(5, 0, dev);
        assertEquals(0x40, first);
        assertEquals(0x50, second);
        assertEquals(0x10, read(5, 0, 0x06, 2) & 0x10, "status: capability list present");
        assertEquals(0x40, read(5, 0, 0x34, 1));
        assertEquals(0x5009, read(5, 0, 0x40, 2), "id 9, next 0x50");
        assertEquals(0x0011, read(5, 0, 0x50, 2), "id 0x11, end of list");
        write(5, 0, 0x52, 2, 0xffff);
        assertEquals(0xc001, read(5, 0, 0x52, 2), "only the opened bits of the body are writable");
    }

    @Test
    void configurationErrorsAreReportedAtSetUp() {
        assertThrows(IllegalArgumentException.class, () -> bus.attach(0, 0, PciHostBridge.create()));
        assertThrows(IllegalArgumentException.class, () -> bus.attach(32, 0, PciHostBridge.create()));
        PciConfigSpace dev = new PciConfigSpace(1, 2, 3, 4);
        assertThrows(IllegalArgumentException.class, () -> dev.bar(0, BarKind.MEMORY32, 0x1800, false));
        assertThrows(IllegalArgumentException.class, () -> dev.bar(5, BarKind.MEMORY64, 0x1000, false));
        dev.bar(0, BarKind.MEMORY64, 0x1000, false);
        assertThrows(IllegalArgumentException.class, () -> dev.bar(1, BarKind.IO, 0x10, false));
        assertThrows(IllegalArgumentException.class, () -> dev.addCapability(9, new byte[250], null));
    }

    @Test
    void hostileOffsetsAndSizesAreHarmless() {
        PciConfigSpace dev = PciHostBridge.create();
        assertEquals(-1, dev.configRead(254, 4));
        assertEquals(0xff, dev.configRead(-1, 1));
        dev.configWrite(300, 4, 0);
        assertEquals(0x8086, dev.configRead(0, 2));
    }
}
