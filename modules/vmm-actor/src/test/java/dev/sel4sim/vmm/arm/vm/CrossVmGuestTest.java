package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.run.VmClock;
import dev.sel4sim.vmm.run.VmStop;
import dev.sel4sim.vmm.run.StepResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sel4sim.vmm.arm.psci.SmcPolicy;
import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.crossvm.CrossVmConnector;
import dev.sel4sim.vmm.crossvm.CrossVmSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A guest program against a cross-VM connector: native stores into the shared dataport, doorbell, status polling. */
class CrossVmGuestTest {
    static UnicornLibrary lib;

    @BeforeAll
    static void load() {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        lib = UnicornLibrary.locate();
    }

    static final int[] PROGRAM = {
            0xd2bbe001, // movz x1, #0xdf00, lsl 16     registers at 0xdf000000
            0x91400422, // add  x2, x1, #0x1000         dataport after them
            0x528d2d03, // movz w3, #0x6968             "hi"
            0xb9000043, // str  w3, [x2]                into the dataport
            0xb9000023, // str  w3, [x1]                ring the doorbell
            0xb9400424, // ldr  w4, [x1, #4]            poll STATUS
            0x34ffffe4, // cbz  w4, (back to the poll)
            0xb9410045, // ldr  w5, [x2, #0x100]        the component's answer
            0xb9020045, // str  w5, [x2, #0x200]        copied, to show the guest read it
            0xb900043f, // str  wzr, [x1, #4]           acknowledge
            ArmVmTest.SYSTEM_OFF_LO, ArmVmTest.SYSTEM_OFF_HI, ArmVmTest.HVC};

    static ArmVmSpec spec(List<CrossVmSpec> connectors) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(0x1000).order(ByteOrder.LITTLE_ENDIAN);
        for (int c : PROGRAM) {
            b.putInt(c);
        }
        Path fw = Files.createTempFile("crossvm", ".bin");
        Files.write(fw, b.array());
        fw.toFile().deleteOnExit();
        return new ArmVmSpec("t", 0x4000_0000L, 64L << 20, 1, "cortex-a53", 2, VmClock.DETERMINISTIC, 1, 100_000,
                Optional.empty(), Optional.empty(), "", Optional.of(fw), 0, ArmVmLayout.qemuVirt(), 62_500_000L)
                .withCrossVm(connectors);
    }

    @Test
    void theGuestWritesTheSharedDataportRingsAndSeesTheComponentsEvent() throws Exception {
        MemorySegment shared = Arena.ofAuto().allocate(0x1000, 0x1000);
        ArmVmSpec spec = spec(List.of(new CrossVmSpec("conn", 0xdf00_0000L, 0x1000)));
        try (ArmVm vm = ArmVmBuilder.build(spec, lib, x -> { }, SmcPolicy.denyAll(), Map.of("conn", shared)::get)) {
            CrossVmConnector c = vm.crossVm().getFirst();
            String[] seen = new String[1];
            // The component's side, as the system links it: read what the guest wrote, answer, emit the event.
            c.connect(() -> {
                seen[0] = shared.getString(0);
                shared.set(ValueLayout.JAVA_INT_UNALIGNED, 0x100, 0x6b6f);
                c.eventFromPeer();
            });
            VmStop stop = null;
            for (int i = 0; i < 10_000 && stop == null; i++) {
                if (vm.step() instanceof StepResult.Stopped s) {
                    stop = s.why();
                }
            }
            assertInstanceOf(VmStop.PoweredOff.class, stop, String.valueOf(stop));
            assertEquals("hi", seen[0], "the guest's stores are in the memory the component shares");
            assertEquals(0x6b6f, shared.get(ValueLayout.JAVA_INT_UNALIGNED, 0x200), "the guest read the answer after the event");
            assertEquals(1, c.state().rung());
            assertEquals(1, c.state().events());
            assertTrue(!c.state().pending(), "the guest acknowledged");
            assertTrue(vm.isBacked(0xdf00_1000L) && vm.isBacked(0xdf00_0000L) && !vm.isBacked(0xdf00_2000L));
            assertEquals(ArmVmSpec.CROSS_VM_INTID, c.irq());
        }
    }

    @Test
    void connectorsMayNotOverlapRamDevicesOrEachOther() throws Exception {
        IllegalArgumentException ram = assertThrows(IllegalArgumentException.class,
                () -> spec(List.of(new CrossVmSpec("in-ram", 0x4100_0000L, 0x1000))));
        assertTrue(ram.getMessage().contains("in-ram") && ram.getMessage().contains("overlaps RAM"), ram.getMessage());
        IllegalArgumentException uart = assertThrows(IllegalArgumentException.class,
                () -> spec(List.of(new CrossVmSpec("u", 0x0900_0000L, 0x1000))));
        assertTrue(uart.getMessage().contains("PL011"), uart.getMessage());
        IllegalArgumentException pair = assertThrows(IllegalArgumentException.class, () -> spec(List.of(
                new CrossVmSpec("a", 0xdf00_0000L, 0x2000), new CrossVmSpec("b", 0xdf00_2000L, 0x1000))));
        assertTrue(pair.getMessage().contains("b") && pair.getMessage().contains("cross-VM connector a"), pair.getMessage());
    }
}
