package dev.sel4sim.vmm.crossvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The connector's register page: doorbell, status and acknowledge, identification, and its interrupt line. */
class CrossVmConnectorTest {
    private final ArrayDeque<Runnable> vmThread = new ArrayDeque<>();
    private final List<Boolean> line = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private CrossVmConnector connector(String name, long address, long size) {
        return new CrossVmConnector(new CrossVmSpec(name, address, size), Arena.ofAuto().allocate(size, 4096), 81,
                line::add, vmThread::add, notes::add);
    }

    private void runVmThread() {
        for (Runnable r = vmThread.poll(); r != null; r = vmThread.poll()) {
            r.run();
        }
    }

    @Test
    void doorbellWritesReachTheConnectedSideAndAreCounted() {
        CrossVmConnector c = connector("src", 0xdf00_0000L, 0x2000);
        int[] rung = {0};
        c.connect(() -> rung[0]++);
        c.write(0, CrossVmRegisters.DOORBELL, 4, 1);
        c.write(0, CrossVmRegisters.DOORBELL + 2, 1, 0);
        assertEquals(2, rung[0], "any write within the doorbell register rings it");
        assertEquals(2, c.read(0, CrossVmRegisters.RUNG, 4));
        assertEquals(0, c.read(0, CrossVmRegisters.DOORBELL, 4), "the doorbell reads as zero");
        c.write(0, 0x100, 4, 1);
        assertEquals(2, rung[0], "writes elsewhere in the page do nothing");
        assertTrue(notes.isEmpty(), notes.toString());
    }

    @Test
    void aDoorbellWithNothingConnectedIsCountedAndNotedOnce() {
        CrossVmConnector c = connector("lonely", 0xdf00_0000L, 0x1000);
        c.write(0, CrossVmRegisters.DOORBELL, 4, 1);
        c.write(0, CrossVmRegisters.DOORBELL, 4, 1);
        assertEquals(2, c.state().rung());
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.getFirst().contains("lonely") && notes.getFirst().contains("no component"), notes.getFirst());
    }

    @Test
    void aFailingDoorbellIsNotedNotThrownIntoTheGuest() {
        CrossVmConnector c = connector("src", 0xdf00_0000L, 0x1000);
        c.connect(() -> {
            throw new IllegalStateException("component gone");
        });
        c.write(0, CrossVmRegisters.DOORBELL, 4, 1);
        assertEquals(1, notes.size());
        assertTrue(notes.getFirst().contains("component gone"), notes.getFirst());
    }

    @Test
    void peerEventsRaiseStatusAndTheLineOnTheVmThreadUntilAcknowledged() {
        CrossVmConnector c = connector("src", 0xdf00_0000L, 0x1000);
        c.eventFromPeer();
        assertEquals(0, c.read(0, CrossVmRegisters.STATUS, 4), "nothing changes before the VM's thread runs the work");
        assertTrue(line.isEmpty());
        runVmThread();
        assertEquals(1, c.read(0, CrossVmRegisters.STATUS, 4));
        assertEquals(List.of(true), line);
        c.eventFromPeer();
        runVmThread();
        assertEquals(2, c.read(0, CrossVmRegisters.EVENTS, 4), "a second event while one is pending merges but is counted");
        c.write(0, CrossVmRegisters.STATUS, 4, 0);
        assertEquals(0, c.read(0, CrossVmRegisters.STATUS, 4));
        assertEquals(List.of(true, true, false), line);
        assertEquals(new CrossVmState(false, 0, 2), c.state());
    }

    @Test
    void theGuestCanFindTheDataportAndTheNameInThePage() {
        CrossVmConnector c = connector("reverse-in", 0x1_2340_0000L, 0x3000);
        assertEquals(CrossVmRegisters.MAGIC_VALUE, c.read(0, CrossVmRegisters.MAGIC, 4));
        assertEquals(0x2340_1000L, c.read(0, CrossVmRegisters.DATA_LO, 4));
        assertEquals(0x1, c.read(0, CrossVmRegisters.DATA_HI, 4));
        assertEquals(0x1_2340_1000L, c.read(0, CrossVmRegisters.DATA_LO, 8), "an 8-byte read spans LO and HI");
        assertEquals(0x3000, c.read(0, CrossVmRegisters.DATA_SIZE, 4));
        assertEquals(81, c.read(0, CrossVmRegisters.IRQ, 4));
        StringBuilder name = new StringBuilder();
        for (int i = 0; ; i++) {
            int b = (int) c.read(0, CrossVmRegisters.NAME + i, 1);
            if (b == 0) {
                break;
            }
            name.append((char) b);
        }
        assertEquals("reverse-in", name.toString());
        assertEquals('e' << 8 | 'r', c.read(0, CrossVmRegisters.NAME, 2));
        assertEquals(0, c.read(0, 0xff8, 8), "the rest of the page reads as zero");
        assertEquals(0x3000, c.dataport().byteSize());
    }

    @Test
    void restoreBringsBackTheRegistersAndTheLine() {
        CrossVmConnector c = connector("src", 0xdf00_0000L, 0x1000);
        c.restore(new CrossVmState(true, 7, 9));
        assertEquals(1, c.read(0, CrossVmRegisters.STATUS, 4));
        assertEquals(7, c.read(0, CrossVmRegisters.RUNG, 4));
        assertEquals(9, c.read(0, CrossVmRegisters.EVENTS, 4));
        assertEquals(List.of(true), line);
    }

    @Test
    void specsAndMemoryAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new CrossVmSpec("x", 0xdf00_0800L, 0x1000));
        assertThrows(IllegalArgumentException.class, () -> new CrossVmSpec("x", 0xdf00_0000L, 100));
        assertThrows(IllegalArgumentException.class, () -> new CrossVmSpec("x".repeat(56), 0xdf00_0000L, 0x1000));
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> new CrossVmConnector(
                new CrossVmSpec("x", 0xdf00_0000L, 0x2000), Arena.ofAuto().allocate(0x1000), 80, l -> { }, Runnable::run, n -> { }));
        assertTrue(small.getMessage().contains("4096 bytes"), small.getMessage());
        assertFalse(new CrossVmSpec("x", 0xdf00_0000L, 0x1000).end() != 0xdf00_2000L);
    }
}
