package dev.sel4sim.vmm.x86.pic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Pic8259PairTest {
    final List<Boolean> cpu = new ArrayList<>();
    final Pic8259Pair pic = new Pic8259Pair(cpu::add);

    /** The sequence Linux's i8259 driver writes: vectors 0x30/0x38, slave on IR2, 8086 mode. */
    private void initialise(int icw4) {
        pic.write(0x20, 1, 0x11);
        pic.write(0x21, 1, 0x30);
        pic.write(0x21, 1, 0x04);
        pic.write(0x21, 1, icw4);
        pic.write(0xa0, 1, 0x11);
        pic.write(0xa1, 1, 0x38);
        pic.write(0xa1, 1, 0x02);
        pic.write(0xa1, 1, icw4);
    }

    @BeforeEach
    void setUp() {
        initialise(0x01);
    }

    private int isr(int commandPort) {
        pic.write(commandPort, 1, 0x0b);
        return pic.read(commandPort, 1);
    }

    private int irr(int commandPort) {
        pic.write(commandPort, 1, 0x0a);
        return pic.read(commandPort, 1);
    }

    @Test
    void initialisationSetsVectorBasesAndClearsMasks() {
        assertEquals(0x30, pic.masterVectorBase());
        assertEquals(0x38, pic.slaveVectorBase());
        assertEquals(0, pic.read(0x21, 1));
        assertEquals(0, pic.read(0xa1, 1));
        pic.write(0x21, 1, 0xfb);
        assertEquals(0xfb, pic.read(0x21, 1), "after initialisation the data port is the mask");
    }

    @Test
    void higherPriorityInterruptsNestAndLowerOnesWaitForEoi() {
        pic.setIrq(1, true);
        assertEquals(List.of(true), cpu);
        assertEquals(OptionalInt.of(0x31), pic.pendingVector());
        assertEquals(0x31, pic.acknowledge());
        assertEquals(List.of(true, false), cpu);
        assertEquals(0x02, isr(0x20));

        pic.setIrq(3, true);
        assertFalse(pic.interruptPending(), "IRQ 3 ranks below IRQ 1 in service");
        pic.setIrq(0, true);
        assertTrue(pic.interruptPending(), "IRQ 0 ranks above IRQ 1");
        assertEquals(0x30, pic.acknowledge());
        assertEquals(0x03, isr(0x20));

        pic.write(0x20, 1, 0x20); // non-specific EOI ends the highest in service: IRQ 0
        assertEquals(0x02, isr(0x20));
        assertFalse(pic.interruptPending());
        pic.write(0x20, 1, 0x20);
        assertEquals(0, isr(0x20));
        assertEquals(OptionalInt.of(0x33), pic.pendingVector());
    }

    @Test
    void maskedRequestsWaitInTheRequestRegister() {
        pic.write(0x21, 1, 0x10);
        pic.setIrq(4, true);
        assertFalse(pic.interruptPending());
        assertEquals(0x10, irr(0x20));
        pic.write(0x21, 1, 0x00);
        assertEquals(OptionalInt.of(0x34), pic.pendingVector());
    }

    @Test
    void slaveInterruptsCascadeThroughIrq2() {
        pic.setIrq(12, true);
        assertEquals(List.of(true), cpu);
        assertEquals(0x3c, pic.acknowledge());
        assertEquals(0x04, isr(0x20), "the master has its cascade input in service");
        assertEquals(0x10, isr(0xa0));
        pic.write(0xa0, 1, 0x20);
        pic.write(0x20, 1, 0x20);
        assertEquals(0, isr(0x20));
        assertEquals(0, isr(0xa0));

        pic.write(0x21, 1, 0x04); // masking IR2 on the master hides the whole slave
        pic.setIrq(12, false);
        pic.setIrq(12, true);
        assertFalse(pic.interruptPending());
        pic.write(0x21, 1, 0x00);
        assertEquals(OptionalInt.of(0x3c), pic.pendingVector());
    }

    @Test
    void edgeTriggeredInputsNeedANewEdge() {
        pic.setIrq(5, true);
        assertEquals(0x35, pic.acknowledge());
        pic.write(0x20, 1, 0x65); // specific EOI for IRQ 5
        assertFalse(pic.interruptPending(), "the line is still high but there was no new edge");
        pic.setIrq(5, false);
        pic.setIrq(5, true);
        assertTrue(pic.interruptPending());
    }

    @Test
    void aPulseOnAnEdgeInputIsLatchedUntilAcknowledged() {
        pic.setIrq(0, true);
        pic.setIrq(0, false);
        assertEquals(OptionalInt.of(0x30), pic.pendingVector());
        assertEquals(0x30, pic.acknowledge());
        pic.write(0x20, 1, 0x20);
        assertFalse(pic.interruptPending());
    }

    @Test
    void levelTriggeredInputsFollowTheLineThroughElcr() {
        pic.write(0x4d0, 1, 0xff);
        assertEquals(0xf8, pic.read(0x4d0, 1), "IRQ 0-2 cannot be level-triggered");
        pic.write(0x4d1, 1, 0xff);
        assertEquals(0xde, pic.read(0x4d1, 1), "nor IRQ 8 and 13");
        pic.write(0x4d1, 1, 0x04); // IRQ 10 level

        pic.setIrq(10, true);
        assertEquals(0x3a, pic.acknowledge());
        pic.write(0xa0, 1, 0x20);
        pic.write(0x20, 1, 0x20);
        assertEquals(OptionalInt.of(0x3a), pic.pendingVector(), "still asserted: requested again");
        pic.setIrq(10, false);
        assertFalse(pic.interruptPending());
    }

    @Test
    void aRequestThatVanishesBeforeAcknowledgeIsSpuriousIrq7() {
        pic.write(0x4d0, 1, 0x08); // IRQ 3 level
        pic.setIrq(3, true);
        assertTrue(pic.interruptPending());
        pic.setIrq(3, false);
        assertEquals(0x37, pic.acknowledge());
        assertEquals(0, isr(0x20), "a spurious interrupt puts nothing in service");
    }

    @Test
    void setPriorityRotatesWhoWins() {
        pic.setIrq(3, true);
        pic.setIrq(6, true);
        assertEquals(OptionalInt.of(0x33), pic.pendingVector());
        pic.write(0x20, 1, 0xc4); // OCW2 set priority: IRQ 4 lowest, so 5, 6, 7, 0... rank first
        assertEquals(OptionalInt.of(0x36), pic.pendingVector());
        assertEquals(0x36, pic.acknowledge());
        pic.write(0x20, 1, 0xa0); // rotate on non-specific EOI: IRQ 6 becomes lowest
        assertEquals(OptionalInt.of(0x33), pic.pendingVector());
    }

    @Test
    void autoEoiLeavesNothingInService() {
        initialise(0x03);
        pic.setIrq(1, true);
        assertEquals(0x31, pic.acknowledge());
        assertEquals(0, isr(0x20));
        pic.setIrq(4, true);
        assertTrue(pic.interruptPending(), "no EOI needed for the next, lower-priority request");
    }

    @Test
    void pollCommandAcknowledgesThroughTheCommandPort() {
        pic.setIrq(6, true);
        pic.write(0x20, 1, 0x0c);
        assertEquals(0x86, pic.read(0x20, 1));
        assertEquals(0x40, isr(0x20));
        pic.write(0x20, 1, 0x0c);
        assertEquals(0x00, pic.read(0x20, 1), "nothing else requested");
    }

    @Test
    void outOfRangeInputsAndUnknownPortsAreIgnored() {
        pic.setIrq(16, true);
        pic.setIrq(-1, true);
        assertFalse(pic.interruptPending());
        assertEquals(0xff, pic.read(0x22, 1));
        pic.write(0x22, 1, 0x11);
        assertEquals(0x30, pic.masterVectorBase());
    }
}
