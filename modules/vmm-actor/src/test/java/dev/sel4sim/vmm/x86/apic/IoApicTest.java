package dev.sel4sim.vmm.x86.apic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IoApicTest {
    final List<IoApicMessage> sent = new ArrayList<>();
    final IoApic ioapic = new IoApic(1, sent::add);

    private long reg(int index) {
        ioapic.write(0, 0x00, 4, index);
        return ioapic.read(0, 0x10, 4);
    }

    private void setReg(int index, long value) {
        ioapic.write(0, 0x00, 4, index);
        ioapic.write(0, 0x10, 4, value);
    }

    @Test
    void identificationRegisters() {
        assertEquals(0x0100_0000L, reg(0x00));
        assertEquals(0x0017_0020L, reg(0x01), "24 pins, version 0x20");
        assertEquals(0x10000L, reg(0x10), "pin 0 masked at reset");
        setReg(0x00, 0x0500_0000);
        assertEquals(0x0500_0000L, reg(0x00));
    }

    @Test
    void edgeTriggeredPinSendsOncePerRisingEdgeAndKeepsEdgesWhileMasked() {
        setReg(0x10 + 2 * 2 + 1, 0x0300_0000L); // pin 2 to APIC 3
        setReg(0x10 + 2 * 2, 0x30); // unmasked, edge, fixed, vector 0x30
        ioapic.setIrq(2, true);
        ioapic.setIrq(2, true);
        ioapic.setIrq(2, false);
        assertEquals(List.of(new IoApicMessage(2, 0x30, 0, false, 3, false)), sent);
        setReg(0x14, 0x10030); // mask
        ioapic.setIrq(2, true);
        ioapic.setIrq(2, false);
        assertEquals(1, sent.size());
        setReg(0x14, 0x30);
        assertEquals(2, sent.size(), "the edge seen while masked is sent on unmask");
    }

    @Test
    void levelTriggeredPinWaitsForEoiAndResendsWhileAsserted() {
        setReg(0x10 + 2 * 11, 0xa041); // level, active low, vector 0x41
        ioapic.setIrq(11, true);
        assertEquals(1, sent.size());
        assertEquals(true, sent.get(0).levelTriggered());
        assertEquals(1L << 14, reg(0x10 + 2 * 11) & (1 << 14), "remote IRR");
        ioapic.setIrq(11, false);
        ioapic.setIrq(11, true);
        assertEquals(1, sent.size(), "remote IRR holds further messages");
        ioapic.endOfInterrupt(0x41);
        assertEquals(2, sent.size(), "still asserted after the EOI: sent again");
        ioapic.setIrq(11, false);
        ioapic.write(0, 0x40, 4, 0x41); // directed EOI register
        assertEquals(0L, reg(0x10 + 2 * 11) & (1 << 14));
        assertEquals(2, sent.size());
        ioapic.endOfInterrupt(0x42);
        assertEquals(2, sent.size());
    }

    @Test
    void readOnlyBitsIgnoreWritesAndBadIndicesAreHarmless() {
        setReg(0x10, 0x5000 | 0x31); // delivery status and remote IRR are read-only
        assertEquals(0x31L, reg(0x10));
        setReg(0x7f, 0x1234);
        assertEquals(0L, reg(0x7f));
        ioapic.setIrq(24, true);
        ioapic.setIrq(-1, true);
        assertEquals(List.of(), sent);
    }

    @Test
    void destinationModeAndDeliveryModeAreReported() {
        setReg(0x10 + 2 * 9 + 1, 0x0f00_0000L);
        setReg(0x10 + 2 * 9, 0x0900 | 0x0800 | 0x59); // lowest priority, logical
        ioapic.setIrq(9, true);
        assertEquals(new IoApicMessage(9, 0x59, 1, true, 0x0f, false), sent.get(0));
    }
}
