package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.x86.apic.LocalApic;
import dev.sel4sim.vmm.x86.pic.Pic8259Pair;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The machine's interrupt wiring without an engine: devices' lines in, vectors out. */
class InterruptRouterTest {
    final List<String> notes = new ArrayList<>();
    final Pic8259Pair pic = new Pic8259Pair(high -> { });
    final LocalApic lapic = new LocalApic(0, () -> 0, LocalApic.DEFAULT_BUS_HZ, high -> { }, ipi -> { }, v -> router().endOfInterrupt(v));
    InterruptRouter router;

    InterruptRouter router() {
        return router;
    }

    void initPic() {
        for (int[] w : new int[][] {{0x20, 0x11}, {0xa0, 0x11}, {0x21, 0x20}, {0xa1, 0x28}, {0x21, 4}, {0xa1, 2},
                {0x21, 1}, {0xa1, 1}, {0x21, 0}, {0xa1, 0}}) {
            pic.write(w[0], 1, w[1]);
        }
    }

    void enableLapic() {
        lapic.write(0, 0xf0, 4, 0x1ff);
    }

    void route(int pin, long entry) {
        router.ioApic().write(0, 0, 4, 0x10 + 2 * pin);
        router.ioApic().write(0, 0x10, 4, entry & 0xffff_ffffL);
        router.ioApic().write(0, 0, 4, 0x11 + 2 * pin);
        router.ioApic().write(0, 0x10, 4, entry >>> 32);
    }

    @Test
    void withoutALocalApicThe8259IsTheProcessorsInput() {
        router = new InterruptRouter(pic, null, false, notes::add);
        initPic();
        router.setIsaIrq(4, true);
        assertTrue(router.pending());
        assertEquals(0x24, router.acknowledge());
        router.setIoApicPin(20, true);
        assertEquals(1, notes.size(), "an HPET timer routed to an absent IOAPIC is reported");
    }

    @Test
    void the8259GoesThroughLint0OnlyWhileItIsExtIntAndUnmasked() {
        lapic.virtualWire();
        router = new InterruptRouter(pic, lapic, false, notes::add);
        initPic();
        router.setIsaIrq(4, true);
        assertTrue(router.pending(), "virtual wire as the firmware left it");
        enableLapic();
        lapic.write(0, 0x350, 4, 0x10700); // the guest masks LINT0
        assertFalse(router.pending(), "LINT0 masked: the 8259's request does not reach the processor");
        assertEquals(0xff, router.acknowledge(), "an acknowledge now gets the APIC's spurious vector");
    }

    @Test
    void aLevelTriggeredIoApicInputIsSentAgainAfterTheEoiWhileStillAsserted() {
        router = new InterruptRouter(pic, lapic, true, notes::add);
        enableLapic();
        route(5, 0x8000 | 0x55);            // level-triggered, vector 0x55, APIC 0
        router.setGsi(5, true);
        assertTrue(router.pending());
        assertEquals(0x55, router.acknowledge());
        assertFalse(router.pending(), "remote IRR holds the input until the EOI");
        lapic.write(0, 0xb0, 4, 0);         // EOI, broadcast to the IOAPIC
        assertTrue(router.pending(), "still asserted after the EOI: sent again");
        assertEquals(0x55, router.acknowledge());
        router.setGsi(5, false);
        lapic.write(0, 0xb0, 4, 0);
        assertFalse(router.pending());
        assertTrue(notes.isEmpty(), notes.toString());
    }

    @Test
    void isaIrq0FeedsIoApicInput2AndOtherDestinationsAreReported() {
        router = new InterruptRouter(pic, lapic, true, notes::add);
        enableLapic();
        route(2, 0x30);
        router.setIsaIrq(0, true);
        assertEquals(0x30, router.acknowledge());
        route(7, 0x31L | 3L << 56);         // physical destination APIC 3: not this processor
        router.setGsi(7, true);
        assertFalse(router.pending());
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("input 7"), notes.get(0));
    }
}
