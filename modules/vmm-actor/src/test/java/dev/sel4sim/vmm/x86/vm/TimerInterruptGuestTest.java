package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.x86.cpu.X86Reg;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86Library;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A hand-assembled Multiboot guest programs the PIC and the PIT (1 ms periodic on IRQ 0), installs an
 * interrupt gate for vector 0x20 and waits in HLT for five ticks: interrupts come from the PIC through
 * the guest's IDT, in simulated time, and HLT parks the VCPU until the next tick.
 */
class TimerInterruptGuestTest {
    static final int BASE = 0x100000;
    static final int CODE = BASE + 0x20;
    static final int COUNTER = BASE + 0x800;
    static final int IDTR = BASE + 0x810;
    static final int IDT = BASE + 0x1000;

    static void b(ByteArrayOutputStream o, int... bytes) {
        for (int x : bytes) {
            o.write(x);
        }
    }

    static void imm32(ByteArrayOutputStream o, int v) {
        b(o, v & 0xff, v >>> 8 & 0xff, v >>> 16 & 0xff, v >>> 24 & 0xff);
    }

    static byte[] guest() {
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        b(c, 0xb0, 0x11, 0xe6, 0x20, 0xe6, 0xa0);             // ICW1 to both PICs
        b(c, 0xb0, 0x20, 0xe6, 0x21, 0xb0, 0x28, 0xe6, 0xa1); // ICW2: vectors 0x20 and 0x28
        b(c, 0xb0, 0x04, 0xe6, 0x21, 0xb0, 0x02, 0xe6, 0xa1); // ICW3: cascade on IRQ 2
        b(c, 0xb0, 0x01, 0xe6, 0x21, 0xe6, 0xa1);             // ICW4: 8086 mode
        b(c, 0xb0, 0xfe, 0xe6, 0x21, 0xb0, 0xff, 0xe6, 0xa1); // only IRQ 0 unmasked
        b(c, 0xb0, 0x34, 0xe6, 0x43);                         // PIT channel 0: mode 2, low then high byte
        b(c, 0xb0, 0xa9, 0xe6, 0x40, 0xb0, 0x04, 0xe6, 0x40); // divisor 1193: about 1 ms
        b(c, 0x0f, 0x01, 0x1d);                               // lidt [IDTR]
        imm32(c, IDTR);
        b(c, 0xfb);                                           // sti
        int loop = CODE + c.size();
        b(c, 0xf4);                                           // loop: hlt
        b(c, 0x83, 0x3d);                                     // cmp dword [COUNTER], 5
        imm32(c, COUNTER);
        b(c, 0x05);
        int after = CODE + c.size() + 2;
        b(c, 0x72, (loop - after) & 0xff);                    // jb loop
        b(c, 0xfa, 0xf4);                                     // cli; hlt
        int handler = CODE + c.size();
        b(c, 0xff, 0x05);                                     // inc dword [COUNTER]
        imm32(c, COUNTER);
        b(c, 0x50, 0xb0, 0x20, 0xe6, 0x20, 0x58, 0xcf);       // push eax; EOI; pop eax; iret

        ByteBuffer f = ByteBuffer.allocate(0x1200).order(ByteOrder.LITTLE_ENDIAN);
        int flags = 0x10003;
        f.putInt(0, 0x1badb002).putInt(4, flags).putInt(8, -(0x1badb002 + flags));
        f.putInt(12, BASE).putInt(16, BASE).putInt(20, 0).putInt(24, 0).putInt(28, CODE);
        f.put(0x20, c.toByteArray());
        f.putShort(IDTR - BASE, (short) (0x21 * 8 - 1)).putInt(IDTR - BASE + 2, IDT);
        int gate = IDT - BASE + 0x20 * 8;
        f.putInt(gate, (handler & 0xffff) | 0x08 << 16);
        f.putInt(gate + 4, (handler & 0xffff0000) | 0x8e00);
        return f.array();
    }

    @Test
    void periodicTimerInterruptsWakeTheHaltedGuestThroughItsIdt() throws Exception {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        try (X86Machine m = new X86Machine(UnicornX86Library.locate(), new X86MachineConfig(4L << 20, 1))) {
            m.bootMultiboot(guest(), "", List.of());
            X86RunResult r = m.run(1_000_000);
            assertEquals(X86RunResult.Outcome.HALTED, r.outcome(), r.toString());
            byte[] counter = m.cpu().readLinear(COUNTER, 4);
            assertEquals(5, counter[0], "timer interrupts handled");
            // Five periods of 1193 PIT ticks are 4.999 ms of simulated time; the guest's own work adds little.
            assertTrue(r.nowNs() >= 4_990_000 && r.nowNs() < 5_100_000, "simulated time " + r.nowNs());
            assertTrue(r.instructions() < 10_000, "halted time is not spent executing: " + r.instructions());
            assertEquals(0, m.cpu().reg(X86Reg.EFLAGS) & 0x200, "stopped with interrupts off");
        }
    }
}
