package dev.sel4sim.kernel;

import static org.junit.jupiter.api.Assertions.*;

import dev.sel4sim.kernel.actor.Supervision;
import dev.sel4sim.kernel.boot.CSpaceView;
import dev.sel4sim.kernel.cap.Cap;
import dev.sel4sim.kernel.cap.Lookup;
import dev.sel4sim.kernel.cap.Rights;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.objects.CNode;
import dev.sel4sim.kernel.objects.Endpoint;
import dev.sel4sim.kernel.objects.ObjectType;
import dev.sel4sim.kernel.objects.Tcb;
import dev.sel4sim.kernel.objects.Untyped;
import dev.sel4sim.kernel.sched.Timeline;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class CapabilityTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static Kernel kernel() {
        return new Kernel(Arch.AARCH64, false, 40, 256, new Timeline(Timeline.Mode.VIRTUAL));
    }

    @Test
    void objectSizesFollowSeL4PerArchitecture() {
        assertEquals(11, ObjectType.TCB.sizeBits(Arch.AARCH64, 0, false, 40));
        assertEquals(4, ObjectType.ENDPOINT.sizeBits(Arch.AARCH64, 0, false, 40));
        assertEquals(5, ObjectType.NOTIFICATION.sizeBits(Arch.AARCH64, 0, false, 40));
        assertEquals(6, ObjectType.NOTIFICATION.sizeBits(Arch.AARCH64, 0, true, 40));
        assertEquals(13, ObjectType.VSPACE.sizeBits(Arch.AARCH64, 0, false, 40));
        assertEquals(12, ObjectType.VSPACE.sizeBits(Arch.AARCH64, 0, false, 44));
        assertEquals(12, ObjectType.VCPU.sizeBits(Arch.AARCH64, 0, false, 40));
        assertEquals(14, ObjectType.VCPU.sizeBits(Arch.X86_64, 0, false, 48));
        assertEquals(8 + 5, ObjectType.CNODE.sizeBits(Arch.AARCH64, 8, false, 40));
        assertEquals(21, ObjectType.FRAME_2M.sizeBits(Arch.X86_64, 0, false, 48));
    }

    @Test
    void retypeAlignsEachObjectAndAdvancesTheWatermark() {
        Kernel k = kernel();
        Untyped ut = k.addUntyped("ut", 0x4000_0000L, 16, false);
        Endpoint ep = k.create(ut, ObjectType.ENDPOINT, 0, "ep", Endpoint.class);
        assertEquals(0x4000_0000L, ep.paddr());
        assertEquals(16, ut.freeOffset());
        Tcb tcb = k.create(ut, ObjectType.TCB, 0, "tcb", Tcb.class);
        assertEquals(0x4000_0800L, tcb.paddr(), "a TCB is aligned to 2 KiB");
        assertEquals(0x1000, ut.freeOffset());
    }

    @Test
    void retypeThatDoesNotFitNamesTheUntypedItsSizeAndTheRequest() {
        Kernel k = kernel();
        Untyped ut = k.addUntyped("ram.ut3", 0x5000_0000L, 20, false);
        k.create(ut, ObjectType.FRAME_4K, 0, "f", dev.sel4sim.kernel.objects.Frame.class);
        KernelException e = assertThrows(KernelException.class,
                () -> k.create(ut, ObjectType.UNTYPED, 20, "big", Untyped.class));
        assertEquals(Sel4Error.NOT_ENOUGH_MEMORY, e.error());
        assertTrue(e.getMessage().contains("ram.ut3"), e.getMessage());
        assertTrue(e.getMessage().contains("1 MiB"), e.getMessage());
        assertTrue(e.getMessage().contains("seL4_UntypedObject"), e.getMessage());
    }

    @Test
    void deviceUntypedOnlyMakesFrames() {
        Kernel k = kernel();
        Untyped dev = k.addUntyped("uart.dev", 0x0900_0000L, 12, true);
        KernelException e = assertThrows(KernelException.class, () -> k.create(dev, ObjectType.TCB, 0, "t", Tcb.class));
        assertEquals(Sel4Error.INVALID_ARGUMENT, e.error());
        assertNotNull(k.create(dev, ObjectType.FRAME_4K, 0, "uart.frame", dev.sel4sim.kernel.objects.Frame.class));
    }

    @Test
    void guardedTwoLevelLookup() {
        Kernel k = kernel();
        Untyped ut = k.addUntyped("ut", 0x4000_0000L, 20, false);
        CNode top = k.create(ut, ObjectType.CNODE, 4, "top", CNode.class);
        CNode leaf = k.create(ut, ObjectType.CNODE, 8, "leaf", CNode.class);
        Endpoint ep = k.create(ut, ObjectType.ENDPOINT, 0, "ep", Endpoint.class);
        // top: guard 0 of 52 bits + radix 4 = 56 bits; leaf: guard 0x0 of 0 bits + radix 8.
        Cap root = Cap.of(top, Rights.ALL).withGuard(0, 52);
        k.install(top, 3, Cap.of(leaf, Rights.ALL));
        k.install(leaf, 0x2a, Cap.of(ep, Rights.ALL));
        assertSame(ep, Lookup.capSlot(root, (3L << 8) | 0x2a).cap().object());
        KernelException bad = assertThrows(KernelException.class, () -> Lookup.capSlot(root, 1L << 63));
        assertEquals(Sel4Error.FAILED_LOOKUP, bad.error());
        assertTrue(bad.getMessage().contains("guard mismatch"));
    }

    @Test
    void mintBadgesOnceAndMasksRightsAndRevokeRemovesDescendants() {
        try (Harness h = new Harness(kit, 1)) {
            Endpoint ep = h.loader.endpoint("ep");
            CSpaceView v = h.thread("mgr", 10, 0);
            int orig = h.loader.give(v, ep, Rights.ALL, 0);
            TestProbe<KernelEvent> p = kit.createTestProbe();
            ActorRef<KernelEvent> ref = h.start(v, p.getRef(), Supervision.RESTART);
            p.expectMessageClass(KernelEvent.Started.class);
            long root = CSpaceView.CNODE_SLOT;
            assertEquals(SysResult.OK, Harness.run(kit, ref, s -> s.cnodeMint(root, 20, 64, root, orig, 64, Rights.WRITE, 0x5)));
            Cap minted = v.capAt(20);
            assertEquals(0x5, minted.badge());
            assertEquals(Rights.WRITE, minted.rights());
            assertEquals(Sel4Error.ILLEGAL_OPERATION,
                    Harness.run(kit, ref, s -> s.cnodeMint(root, 21, 64, root, 20, 64, Rights.ALL, 0x6)).error());
            assertEquals(SysResult.OK, Harness.run(kit, ref, s -> s.cnodeCopy(root, 21, 64, root, 20, 64, Rights.ALL)));
            assertEquals(Rights.WRITE, v.capAt(21).rights(), "copy never gains rights");
            assertEquals(Sel4Error.DELETE_FIRST, Harness.run(kit, ref, s -> s.cnodeCopy(root, 21, 64, root, 20, 64, Rights.ALL)).error());
            assertEquals(SysResult.OK, Harness.run(kit, ref, s -> s.cnodeMove(root, 22, 64, root, 21, 64)));
            assertNull(v.capAt(21));
            assertNotNull(v.capAt(22));
            assertEquals(new SysResult.Done(2), Harness.run(kit, ref, s -> s.cnodeRevoke(root, orig, 64)));
            assertNull(v.capAt(20));
            assertNull(v.capAt(22));
            assertNotNull(v.capAt(orig));
        }
    }

    @Test
    void untypedRetypeByAThreadAndMemoryReuseAfterRevoke() {
        try (Harness h = new Harness(kit, 1)) {
            Untyped small = h.kernel.addUntyped("ut.small", 0x8000_0000L, 12, false);
            CSpaceView v = h.thread("alloc", 10, 0);
            int ut = h.loader.give(v, small, Rights.ALL, 0);
            TestProbe<KernelEvent> p = kit.createTestProbe();
            ActorRef<KernelEvent> ref = h.start(v, p.getRef(), Supervision.RESTART);
            p.expectMessageClass(KernelEvent.Started.class);
            long root = CSpaceView.CNODE_SLOT;
            assertEquals(new SysResult.Done(2), Harness.run(kit, ref,
                    s -> s.untypedRetype(ut, ObjectType.TCB, 0, root, 0, 0, 30, 2, "t")));
            SysResult full = Harness.run(kit, ref, s -> s.untypedRetype(ut, ObjectType.ENDPOINT, 0, root, 0, 0, 32, 1, "e"));
            assertEquals(Sel4Error.NOT_ENOUGH_MEMORY, full.error());
            assertTrue(((SysResult.Error) full).detail().contains("ut.small"));
            Harness.run(kit, ref, s -> s.cnodeRevoke(root, ut, 64));
            assertEquals(new SysResult.Done(1), Harness.run(kit, ref,
                    s -> s.untypedRetype(ut, ObjectType.ENDPOINT, 0, root, 0, 0, 32, 1, "e")));
        }
    }
}
