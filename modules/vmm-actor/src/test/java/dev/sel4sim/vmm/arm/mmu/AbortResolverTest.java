package dev.sel4sim.vmm.arm.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sel4sim.vmm.arm.decode.MemoryAccessDecoder;
import dev.sel4sim.vmm.arm.decode.RegisterFile;
import org.junit.jupiter.api.Test;

/** From instruction word and registers to the abort the guest sees, end to end. */
class AbortResolverTest {
    static final long RAM = Stage1WalkerTest.RAM;
    static final long L1 = RAM, L2 = RAM + 0x1000, L3 = RAM + 0x2000;
    static final long AF = Stage1WalkerTest.AF;
    static final long AP_RO = Stage1WalkerTest.AP_RO;
    static final long AP_EL0 = Stage1WalkerTest.AP_EL0;

    final Ram ram = new Ram(RAM, 1 << 20);
    final AbortResolver resolver = new AbortResolver(new Stage1Walker(ram));
    final Stage1Registers mmu = new Stage1Registers(1, Stage1WalkerTest.TCR_39, L1, 0, 0x04FF, 48);

    /** X0..X30 from an array; SP separately. */
    record Regs(long[] x, long sp) implements RegisterFile {
        static Regs of(long sp, long... values) {
            long[] x = new long[31];
            System.arraycopy(values, 0, x, 0, values.length);
            return new Regs(x, sp);
        }

        @Override
        public long x(int n) {
            return x[n];
        }
    }

    /** Two consecutive 4 KiB pages at VA 0x40_0000 and 0x40_1000 (L1 0, L2 2, L3 0 and 1). */
    void mapTwoPages(long firstBits, long secondBits) {
        ram.entry(L1, 0, L2 | 0b11);
        ram.entry(L2, 2, L3 | 0b11);
        ram.entry(L3, 0, 0x4010_0000L | 0b11 | firstBits);
        ram.entry(L3, 1, 0x0900_0000L | 0b11 | secondBits);
    }

    @Test
    void storeToReadOnlyPageFromEl1() {
        mapTwoPages(AF | AP_RO, AF);
        // str w2, [x3, #4] with x3 = 0x40_0100
        AbortResolution r = resolver.dataAbort(0xb9000462, Regs.of(0, 0, 0, 0, 0x40_0100), 0x1000, mmu, false, false,
                MemoryAccessDecoder.DEFAULT_ZERO_BLOCK_BYTES);
        AbortResolution.GuestAbort abort = assertInstanceOf(AbortResolution.GuestAbort.class, r);
        assertEquals(0x40_0104L, abort.faultAddress());
        // EC 0x25, IL, WnR, DFSC permission level 3
        assertEquals(0x9600_004FL, abort.syndrome());
    }

    @Test
    void pairCrossingIntoAMissingPageReportsTheSecondPage() {
        mapTwoPages(AF | AP_EL0, 0);
        ram.entry(L3, 1, 0);
        // ldp x29, x30, [sp], #16 at EL0 with sp = 0x40_0FF8: the second register lies in the unmapped page
        AbortResolution r = resolver.dataAbort(0xa8c17bfd, Regs.of(0x40_0FF8), 0x1000, mmu, true, false, 64);
        AbortResolution.GuestAbort abort = assertInstanceOf(AbortResolution.GuestAbort.class, r);
        assertEquals(0x40_1000L, abort.faultAddress());
        // EC 0x24 from EL0, IL, DFSC translation level 3
        assertEquals(0x9200_0007L, abort.syndrome());
    }

    @Test
    void dcZvaOnAnAccessFlagClearPageReportsTheOperandAddress() {
        mapTwoPages(0, AF);
        // dc zva, x0 with x0 = 0x40_0123
        AbortResolution r = resolver.dataAbort(0xd50b7420, Regs.of(0, 0x40_0123), 0x1000, mmu, false, false, 64);
        AbortResolution.GuestAbort abort = assertInstanceOf(AbortResolution.GuestAbort.class, r);
        assertEquals(0x40_0123L, abort.faultAddress());
        // EC 0x25, IL, WnR (a write, CM clear), DFSC access flag level 3 = 0b001011
        assertEquals(0x9600_004BL, abort.syndrome());
    }

    @Test
    void deviceMemoryAccessIsTheVmmsToEmulate() {
        mapTwoPages(AF, AF | Stage1WalkerTest.ATTR1);
        // ldr w0, [x1, w2, sxtw #2] with x1 = 0x40_1010, w2 = -1: address 0x40_100C in the device page
        AbortResolution r = resolver.dataAbort(0xb862d820, Regs.of(0, 0, 0x40_1010, 0xFFFF_FFFFL), 0x1000, mmu,
                false, false, 64);
        AbortResolution.Stage1Allows allows = assertInstanceOf(AbortResolution.Stage1Allows.class, r);
        assertEquals(0x40_100CL, allows.virtualAddress());
        assertEquals(0x0900_000CL, allows.translation().physicalAddress());
    }

    @Test
    void unalignedDeviceAccessIsAnAlignmentFault() {
        mapTwoPages(AF, AF | Stage1WalkerTest.ATTR1);
        // ldr x0, [x1] with x1 = 0x40_1004 in the Device page
        AbortResolution r = resolver.dataAbort(0xf9400020, Regs.of(0, 0, 0x40_1004), 0x1000, mmu, false, false, 64);
        AbortResolution.GuestAbort abort = assertInstanceOf(AbortResolution.GuestAbort.class, r);
        assertEquals(0x9600_0021L, abort.syndrome());
    }

    @Test
    void unprivilegedLoadAtEl1UsesEl0PermissionsButSameLevelSyndrome() {
        mapTwoPages(AF, AF);
        // ldtr x1, [x2, #8] with x2 = 0x40_0000 on an EL1-only page
        AbortResolution r = resolver.dataAbort(0xf8408841, Regs.of(0, 0, 0, 0x40_0000), 0x1000, mmu, false, true, 64);
        AbortResolution.GuestAbort abort = assertInstanceOf(AbortResolution.GuestAbort.class, r);
        assertEquals(0x40_0008L, abort.faultAddress());
        assertEquals(0x9600_000FL, abort.syndrome());
    }

    @Test
    void panFaultOnUserPage() {
        mapTwoPages(AF | AP_EL0, AF);
        // ldr x0, [x1] at EL1 with PAN set, x1 in the user page
        AbortResolution r = resolver.dataAbort(0xf9400020, Regs.of(0, 0, 0x40_0010), 0x1000, mmu, false, true, 64);
        assertEquals(0x9600_000FL, assertInstanceOf(AbortResolution.GuestAbort.class, r).syndrome());
    }

    @Test
    void instructionAbortOnPxnPage() {
        mapTwoPages(AF | Stage1WalkerTest.PXN, AF);
        AbortResolution r = resolver.instructionAbort(0x40_0040, mmu, false);
        AbortResolution.GuestAbort abort = assertInstanceOf(AbortResolution.GuestAbort.class, r);
        assertEquals(0x40_0040L, abort.faultAddress());
        assertEquals(0x8600_000FL, abort.syndrome());
    }

    @Test
    void nonAccessesAreUnresolved() {
        assertInstanceOf(AbortResolution.Unresolved.class,
                resolver.dataAbort(0xd503201f, Regs.of(0), 0x1000, mmu, false, false, 64)); // nop
    }
}
