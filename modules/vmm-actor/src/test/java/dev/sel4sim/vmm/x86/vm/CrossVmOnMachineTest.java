package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.crossvm.CrossVmConnector;
import dev.sel4sim.vmm.crossvm.CrossVmRegisters;
import dev.sel4sim.vmm.crossvm.CrossVmSpec;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86Library;
import dev.sel4sim.vmm.x86.pic.Pic8259Pair;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Cross-VM connectors on the PC: register page trapped, dataport shared, events on ISA line 9. */
class CrossVmOnMachineTest {
    static final long REGS = 0xdf00_0000L;
    static final long DATA = REGS + CrossVmSpec.PAGE;

    @Test
    void theGuestWritesTheSharedDataportRingsAndSeesTheComponentsEvent() throws Exception {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        X86MachineConfig config = new X86MachineConfig(4L << 20, 1).withCrossVm(List.of(new CrossVmSpec("src", REGS, 0x1000)));
        MemorySegment shared = Arena.ofAuto().allocate(0x1000, 4096);
        int at = GuestCode.COUNTER;
        GuestCode g = new GuestCode()
                .store32(DATA, 0x6c6c_6568)               // "hell" into the dataport: plain RAM, no exit
                .store32(REGS + CrossVmRegisters.DOORBELL, 1)
                .copy32(REGS + CrossVmRegisters.MAGIC, at)
                .copy32(REGS + CrossVmRegisters.IRQ, at + 4)
                .copy32(REGS + CrossVmRegisters.DATA_LO, at + 8)
                .copy32(REGS + CrossVmRegisters.RUNG, at + 12)
                .b(0xfa, 0xf4);
        try (X86Machine m = new X86Machine(UnicornX86Library.locate(), config, b -> { }, name -> name.equals("src") ? shared : null)) {
            CrossVmConnector c = m.crossVm().getFirst();
            AtomicInteger rung = new AtomicInteger();
            c.connect(rung::incrementAndGet);
            m.bootMultiboot(g.image(), "", List.of());
            assertEquals(X86RunResult.Outcome.HALTED, m.run(100_000).outcome());
            assertEquals(0x6c6c_6568, shared.get(ValueLayout.JAVA_INT_UNALIGNED, 0), "the component sees the guest's store");
            assertEquals(1, rung.get(), "one doorbell");
            assertEquals(CrossVmRegisters.MAGIC_VALUE, ConfigurableTimersTest.word(m, at));
            assertEquals(X86MachineConfig.CROSS_VM_IRQ, ConfigurableTimersTest.word(m, at + 4));
            assertEquals((int) DATA, ConfigurableTimersTest.word(m, at + 8));
            assertEquals(1, ConfigurableTimersTest.word(m, at + 12));
            // Line 9 is level-triggered; the component's event raises it until the guest acknowledges.
            assertEquals(0x02, m.ports().read(Pic8259Pair.ELCR_SLAVE, 1) & 0x02);
            c.eventFromPeer();
            m.run(1);
            assertEquals(1, c.state().events());
            assertTrue(c.state().pending());
            m.ports().write(Pic8259Pair.SLAVE_COMMAND, 1, 0x0a);       // OCW3: read the IRR next
            assertEquals(0x02, m.ports().read(Pic8259Pair.SLAVE_COMMAND, 1) & 0x02, "IRQ 9 requested at the PIC");
            m.run(1);
            // The guest acknowledges through STATUS: the line falls.
            c.write(0, CrossVmRegisters.STATUS, 4, 0);
            m.ports().write(Pic8259Pair.SLAVE_COMMAND, 1, 0x0a);
            assertEquals(0, m.ports().read(Pic8259Pair.SLAVE_COMMAND, 1) & 0x02, "IRQ 9 withdrawn");
        }
    }

    @Test
    void connectorsMustLieAboveRamAndApartFromTheMachinesPages() {
        X86MachineConfig base = new X86MachineConfig(256L << 20, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> base.withCrossVm(List.of(new CrossVmSpec("src", 0x0800_0000L, 0x1000))));
        assertTrue(e.getMessage().contains("between the end of RAM (0x10000000) and 4 GiB"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> base.withCrossVm(List.of(new CrossVmSpec("src", 0xfebf_f000L, 0x2000))));
        assertTrue(e.getMessage().contains("overlaps the page at 0xfec00000"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> base.withCrossVm(List.of(new CrossVmSpec("a", REGS, 0x1000),
                new CrossVmSpec("b", REGS + 0x1000, 0x1000))));
        assertTrue(e.getMessage().contains("cross-VM connector b at 0xdf001000-0xdf002fff overlaps cross-VM connector a"), e.getMessage());
    }
}
