package dev.sel4sim.virtio.queue;

import static dev.sel4sim.virtio.testing.DriverQueue.INDIRECT;
import static dev.sel4sim.virtio.testing.DriverQueue.NEXT;
import static dev.sel4sim.virtio.testing.DriverQueue.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sel4sim.virtio.queue.VirtqueueError.Reason;
import dev.sel4sim.virtio.testing.DriverQueue;
import dev.sel4sim.virtio.testing.TestRam;

class SplitVirtqueueTest {
    private static final int SIZE = 8;
    private final TestRam ram = TestRam.confined(0x8000_0000L, 1 << 20);
    private final DriverQueue driver = DriverQueue.modern(ram, SIZE);

    @AfterEach
    void close() {
        ram.close();
    }

    private SplitVirtqueue device(boolean eventIdx, boolean indirect) {
        QueueLayout layout = new QueueLayout(SIZE, driver.desc(), driver.avail(), driver.used());
        layout.validate(0, 256, ram.memory());
        return new SplitVirtqueue(0, ram.memory(), layout, eventIdx, indirect, 64 * 1024, SplitVirtqueue.State.INITIAL);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void popsAChainIntoReadableAndWritableBuffersAndReturnsItThroughTheUsedRing() {
        SplitVirtqueue q = device(false, false);
        assertTrue(q.pop().isEmpty());
        int head = driver.add(List.of(bytes("hel"), bytes("lo")), 4, 6);

        DescriptorChain chain = q.pop().orElseThrow();
        assertEquals(head, chain.head());
        assertEquals(2, chain.readable().size());
        assertEquals(2, chain.writable().size());
        assertEquals(10, chain.writableLength());
        assertArrayEquals(bytes("hello"), ChainIo.gather(ram.memory(), chain));
        assertEquals(7, ChainIo.scatter(ram.memory(), chain, ByteBuffer.wrap(bytes("goodbye"))));
        q.pushUsed(chain.head(), 7);
        assertTrue(q.pop().isEmpty());

        List<DriverQueue.Used> used = driver.takeUsed();
        assertEquals(1, used.size());
        assertEquals(head, used.get(0).id());
        assertArrayEquals(bytes("goodbye"), used.get(0).data());
    }

    @Test
    void theAvailableIndexIsReReadOnEveryPoll() {
        SplitVirtqueue q = device(false, false);
        assertEquals(0, q.available());
        driver.add(List.of(bytes("a")));
        assertEquals(1, q.available());
        driver.add(List.of(bytes("b")));
        assertEquals(2, q.available());
        assertArrayEquals(bytes("a"), ChainIo.gather(ram.memory(), q.pop().orElseThrow()));
        assertArrayEquals(bytes("b"), ChainIo.gather(ram.memory(), q.pop().orElseThrow()));
    }

    @Test
    void peekLeavesTheChainForTheNextCall() {
        SplitVirtqueue q = device(false, false);
        int head = driver.add(List.of(), 16);
        assertEquals(head, q.peek().orElseThrow().head());
        assertEquals(head, q.peek().orElseThrow().head());
        q.advance();
        assertTrue(q.peek().isEmpty());
        assertThrows(IllegalStateException.class, q::advance);
    }

    @Test
    void indicesWrapAroundAt65536() {
        QueueLayout layout = new QueueLayout(SIZE, driver.desc(), driver.avail(), driver.used());
        SplitVirtqueue q = new SplitVirtqueue(0, ram.memory(), layout, false, false, 4096,
                new SplitVirtqueue.State(0xffff, 0xffff, 0xffff));
        driver.setDesc(3, ram.alloc(4, 8), 4, 0, 0);
        ram.put16(driver.avail() + 4 + 2L * (0xffff % SIZE), 3);
        driver.setAvailIdx(0);
        DescriptorChain c = q.pop().orElseThrow();
        assertEquals(3, c.head());
        q.pushUsed(3, 0);
        assertEquals(0, driver.usedIdx());
        assertEquals(new SplitVirtqueue.State(0, 0, 0xffff), q.state());
    }

    @Test
    void indirectTablesAreFollowedWhenNegotiated() {
        SplitVirtqueue q = device(false, true);
        driver.addIndirect(List.of(bytes("in"), bytes("direct")), 5);
        DescriptorChain c = q.pop().orElseThrow();
        assertArrayEquals(bytes("indirect"), ChainIo.gather(ram.memory(), c));
        assertEquals(5, c.writableLength());
    }

    @Test
    void directDescriptorsMayLeadIntoOneIndirectTable() {
        SplitVirtqueue q = device(false, true);
        long buf = ram.alloc(3, 8);
        ram.putBytes(buf, bytes("abc"));
        long table = ram.alloc(32, 16);
        long b2 = ram.alloc(2, 8);
        ram.putBytes(b2, bytes("de"));
        driver.writeDesc(table, b2, 2, NEXT, 1);
        driver.writeDesc(table + 16, ram.alloc(8, 8), 8, WRITE, 0);
        driver.setDesc(0, buf, 3, NEXT, 5);
        driver.setDesc(5, table, 32, INDIRECT | WRITE, 0); // WRITE on the indirect descriptor itself is ignored
        driver.publish(0);
        DescriptorChain c = q.pop().orElseThrow();
        assertArrayEquals(bytes("abcde"), ChainIo.gather(ram.memory(), c));
        assertEquals(8, c.writableLength());
    }

    private VirtqueueError popError(SplitVirtqueue q) {
        return assertThrows(VirtqueueException.class, q::pop).error();
    }

    @Test
    void headIndexBeyondTheQueue() {
        driver.publish(SIZE);
        VirtqueueError e = popError(device(false, false));
        assertEquals(Reason.INDEX_OUT_OF_RANGE, e.reason());
        assertEquals(0, e.queue());
    }

    @Test
    void nextIndexBeyondTheQueue() {
        driver.setDesc(0, ram.alloc(4, 8), 4, NEXT, SIZE + 3);
        driver.publish(0);
        assertEquals(Reason.INDEX_OUT_OF_RANGE, popError(device(false, false)).reason());
    }

    @Test
    void aLoopIsCaught() {
        long b = ram.alloc(4, 8);
        driver.setDesc(0, b, 4, NEXT, 1);
        driver.setDesc(1, b, 4, NEXT, 2);
        driver.setDesc(2, b, 4, NEXT, 0);
        driver.publish(0);
        assertEquals(Reason.CHAIN_LOOP, popError(device(false, false)).reason());
    }

    @Test
    void aLoopInsideAnIndirectTableIsCaught() {
        long table = ram.alloc(32, 16);
        long b = ram.alloc(4, 8);
        driver.writeDesc(table, b, 4, NEXT, 1);
        driver.writeDesc(table + 16, b, 4, NEXT, 0);
        driver.setDesc(0, table, 32, INDIRECT, 0);
        driver.publish(0);
        assertEquals(Reason.CHAIN_LOOP, popError(device(false, true)).reason());
    }

    @Test
    void aReadableBufferAfterAWritableOne() {
        driver.setDesc(0, ram.alloc(4, 8), 4, NEXT | WRITE, 1);
        driver.setDesc(1, ram.alloc(4, 8), 4, 0, 0);
        driver.publish(0);
        assertEquals(Reason.READABLE_AFTER_WRITABLE, popError(device(false, false)).reason());
    }

    @Test
    void bufferOutsideRam() {
        driver.setDesc(0, ram.end() - 2, 4, 0, 0);
        driver.publish(0);
        VirtqueueError e = popError(device(false, false));
        assertEquals(Reason.OUTSIDE_RAM, e.reason());
        assertTrue(e.detail().contains(Long.toHexString(ram.end() - 2)), e.detail());
    }

    @Test
    void chainOverTheLengthLimit() {
        long b = ram.alloc(40 * 1024, 8);
        driver.setDesc(0, b, 40 * 1024, NEXT, 1);
        driver.setDesc(1, b, 40 * 1024, 0, 0);
        driver.publish(0);
        assertEquals(Reason.CHAIN_TOO_LONG, popError(device(false, false)).reason());
    }

    @Test
    void indirectTablesOfBadLength() {
        long table = ram.alloc(16 * 16, 16);
        for (long len : new long[] {0, 17, 16L * (SIZE + 1)}) {
            DriverQueue d = DriverQueue.modern(ram, SIZE);
            d.setDesc(0, table, len, INDIRECT, 0);
            d.publish(0);
            QueueLayout layout = new QueueLayout(SIZE, d.desc(), d.avail(), d.used());
            SplitVirtqueue q = new SplitVirtqueue(2, ram.memory(), layout, false, true, 4096, SplitVirtqueue.State.INITIAL);
            VirtqueueError e = popError(q);
            assertEquals(Reason.BAD_INDIRECT_LENGTH, e.reason(), "length " + len);
            assertEquals(2, e.queue());
        }
    }

    @Test
    void indirectTableOutsideRam() {
        driver.setDesc(0, ram.end() - 16, 32, INDIRECT, 0);
        driver.publish(0);
        assertEquals(Reason.OUTSIDE_RAM, popError(device(false, true)).reason());
    }

    @Test
    void nestedIndirectIsForbidden() {
        long inner = ram.alloc(16, 16);
        driver.writeDesc(inner, ram.alloc(4, 8), 4, 0, 0);
        long outer = ram.alloc(16, 16);
        driver.writeDesc(outer, inner, 16, INDIRECT, 0);
        driver.setDesc(0, outer, 16, INDIRECT, 0);
        driver.publish(0);
        assertEquals(Reason.NESTED_INDIRECT, popError(device(false, true)).reason());
    }

    @Test
    void indirectWithNextAndIndirectNotNegotiated() {
        long table = ram.alloc(16, 16);
        driver.writeDesc(table, ram.alloc(4, 8), 4, 0, 0);
        driver.setDesc(0, table, 16, INDIRECT | NEXT, 1);
        driver.publish(0);
        assertEquals(Reason.INDIRECT_WITH_NEXT, popError(device(false, true)).reason());

        DriverQueue d = DriverQueue.modern(ram, SIZE);
        d.setDesc(0, table, 16, INDIRECT, 0);
        d.publish(0);
        SplitVirtqueue q = new SplitVirtqueue(0, ram.memory(), new QueueLayout(SIZE, d.desc(), d.avail(), d.used()),
                false, false, 4096, SplitVirtqueue.State.INITIAL);
        assertEquals(Reason.INDIRECT_NOT_NEGOTIATED, popError(q).reason());
    }

    @Test
    void anAvailableIndexTooFarAhead() {
        driver.setAvailIdx(SIZE + 1);
        assertEquals(Reason.BAD_AVAIL_INDEX, popError(device(false, false)).reason());
    }

    @Test
    void withoutEventIdxTheNoInterruptFlagDecides() {
        SplitVirtqueue q = device(false, false);
        assertFalse(q.needsInterrupt(), "nothing used yet");
        q.pushUsed(driver.add(List.of(bytes("x"))), 0);
        assertTrue(q.needsInterrupt());
        assertFalse(q.needsInterrupt(), "already decided for that entry");

        driver.setAvailFlags(SplitVirtqueue.AVAIL_F_NO_INTERRUPT);
        q.pushUsed(driver.add(List.of(bytes("y"))), 0);
        assertFalse(q.needsInterrupt());
    }

    @Test
    void withEventIdxOnlyCrossingUsedEventInterrupts() {
        SplitVirtqueue q = device(true, false);
        driver.setAvailFlags(SplitVirtqueue.AVAIL_F_NO_INTERRUPT); // must be ignored with EVENT_IDX
        driver.setUsedEvent(2); // interrupt when the entry at used index 2 is written
        for (int i = 0; i < 5; i++) {
            driver.add(List.of(bytes("z")));
        }
        q.pushUsed(q.pop().orElseThrow().head(), 0); // used idx 1
        assertFalse(q.needsInterrupt());
        q.pushUsed(q.pop().orElseThrow().head(), 0); // used idx 2
        assertFalse(q.needsInterrupt());
        q.pushUsed(q.pop().orElseThrow().head(), 0); // used idx 3: entry 2 written
        assertTrue(q.needsInterrupt());
        q.pushUsed(q.pop().orElseThrow().head(), 0);
        assertFalse(q.needsInterrupt(), "used_event already passed");
        driver.setUsedEvent(4);
        q.pushUsed(q.pop().orElseThrow().head(), 0); // idx 5: several entries at once still count
        assertTrue(q.needsInterrupt());
    }

    @Test
    void withEventIdxTheDeviceAsksForTheNextNotification() {
        SplitVirtqueue q = device(true, false);
        driver.add(List.of(bytes("1")));
        driver.add(List.of(bytes("2")));
        q.pop();
        assertEquals(1, driver.availEvent());
        q.pop();
        assertTrue(q.pop().isEmpty());
        assertEquals(2, driver.availEvent(), "notify me when the entry at avail index 2 is added");
    }

    @Test
    void queueLayoutsAreChecked() {
        var mem = ram.memory();
        long d = driver.desc();
        long a = driver.avail();
        long u = driver.used();
        assertEquals(Reason.BAD_QUEUE_CONFIG, assertThrows(VirtqueueException.class,
                () -> new QueueLayout(6, d, a, u).validate(0, 256, mem)).error().reason());
        assertThrows(VirtqueueException.class, () -> new QueueLayout(0, d, a, u).validate(0, 256, mem));
        assertThrows(VirtqueueException.class, () -> new QueueLayout(512, d, a, u).validate(0, 256, mem));
        assertThrows(VirtqueueException.class, () -> new QueueLayout(SIZE, d + 8, a, u).validate(0, 256, mem));
        assertThrows(VirtqueueException.class, () -> new QueueLayout(SIZE, d, a + 1, u).validate(0, 256, mem));
        assertThrows(VirtqueueException.class, () -> new QueueLayout(SIZE, d, a, u + 2).validate(0, 256, mem));
        assertThrows(VirtqueueException.class, () -> new QueueLayout(SIZE, d, a, ram.end() - 16).validate(0, 256, mem));
        new QueueLayout(SIZE, d, a, u).validate(0, 256, mem);
    }

    @Test
    void legacyLayoutIsContiguousWithTheUsedRingAligned() {
        QueueLayout l = QueueLayout.legacy(256, 0x12345, 4096, 4096);
        assertEquals(0x12345000L, l.desc());
        assertEquals(0x12345000L + 4096, l.avail());
        assertEquals(0x12345000L + 8192, l.used());
        QueueLayout small = QueueLayout.legacy(8, 1, 4096, 64);
        assertEquals(4096 + 128, small.avail());
        assertEquals(4096 + 128 + 64, small.used(), "avail ring of 22 bytes rounded up to 64");
    }
}
