package dev.sel4sim.vmm.x86.cpu.unicorn;

import dev.sel4sim.vmm.x86.cpu.TableRegister;
import dev.sel4sim.vmm.x86.cpu.SegmentReg;
import dev.sel4sim.vmm.x86.cpu.X86Cpu;
import dev.sel4sim.vmm.x86.cpu.X86Hooks;
import dev.sel4sim.vmm.x86.cpu.X86Reg;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Where the engine keeps its "exception in flight" number inside a saved CPU context, found by
 * experiment. Unicorn hands every exception to the interrupt hook instead of delivering it, so it
 * never clears that number: the second fault of a run is reported as #DF and a third halts the
 * engine silently. The VMM delivers exceptions itself and must clear it after each one; the only
 * way in is to save the context, patch the number and restore it.
 *
 * <p>The probe runs on a scratch engine: a #GP (contributory, number 13), then a second #GP, which
 * the engine turns into #DF (8) when the number was not cleared. The offset is the one 32-bit field
 * that reads -1, 13, 8 in the three saved contexts. It is then checked: with the field patched back
 * to -1 a further #GP must be reported as #GP. Any other outcome means a library this code does not
 * know, and the layout is refused.
 *
 * @param contextSize   bytes of a saved context ({@code uc_context_size})
 * @param offset        byte offset of the exception-in-flight field in the saved context, or -1 when
 *                      the probe did not recognise the library
 * @param errorCodeOffset byte offset of the last exception's error code (the #GP's selector
 *                      error code 0x1238 in the probe), or -1 when not found
 * @param failure       why the probe refused the library, or null
 */
public record ExceptionStateLayout(long contextSize, long offset, long errorCodeOffset, String failure) {
    private static final long CODE = 0x1000;
    private static final long GDT = 0x800;

    public boolean recognised() {
        return offset >= 0;
    }

    /** Runs the probe on a fresh engine of {@code lib}. */
    static ExceptionStateLayout probe(UnicornX86Library lib) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = arena.allocate(0x4000, 4096);
            // #GP: mov ax,0x1238; mov ds,ax (beyond the GDT limit).
            byte[] gp = {0x66, (byte) 0xb8, 0x38, 0x12, (byte) 0x8e, (byte) 0xd8};
            MemorySegment.copy(gp, 0, ram, JAVA_BYTE, CODE, gp.length);
            long[] flat = {0, 0x00cf_9a00_0000_ffffL, 0x00cf_9200_0000_ffffL};
            for (int i = 0; i < flat.length; i++) {
                ram.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, GDT + 8L * i, flat[i]);
            }
            List<Integer> seen = new ArrayList<>();
            // Each run ends at the first exception; the budget only has to cover the block.
            UnicornX86[] holder = new UnicornX86[1];
            try (UnicornX86 cpu = UnicornX86.open(lib, 0, UnicornX86.Mode.PROTECTED32, new X86Hooks() {
                @Override
                public int in(int port, int size) {
                    return 0;
                }

                @Override
                public void out(int port, int size, int value) {
                }

                @Override
                public boolean cpuid(X86Cpu c) {
                    return false;
                }

                @Override
                public void interrupt(int vector) {
                    seen.add(vector);
                    holder[0].requestStop();
                }
            })) {
                holder[0] = cpu;
                cpu.mapRam(0, ram);
                cpu.setGdtr(new TableRegister(GDT, 23));
                cpu.setSegment(SegmentReg.CS, 0x08);
                cpu.setSegment(SegmentReg.DS, 0x10);
                cpu.setSegment(SegmentReg.SS, 0x10);
                cpu.setReg(X86Reg.ESP, 0x3000);
                long size = cpu.contextSize();
                byte[] c0 = cpu.saveContextBytes();
                runAt(cpu, CODE);
                byte[] c1 = cpu.saveContextBytes();
                runAt(cpu, CODE);
                byte[] c2 = cpu.saveContextBytes();
                if (!seen.equals(List.of(13, 8))) {
                    return new ExceptionStateLayout(size, -1, -1, "two #GPs were reported as " + seen
                            + ", not [13, 8]: not the exception bookkeeping this code knows");
                }
                List<Integer> hits = new ArrayList<>();
                for (int at = 0; at + 4 <= c0.length; at += 4) {
                    if (intAt(c0, at) == -1 && intAt(c1, at) == 13 && intAt(c2, at) == 8) {
                        hits.add(at);
                    }
                }
                if (hits.size() != 1) {
                    return new ExceptionStateLayout(size, -1, -1, "the exception-in-flight field matched at " + hits.size()
                            + " places in the saved context, not one");
                }
                int offset = hits.get(0);
                cpu.patchContextInt(offset, -1);
                runAt(cpu, CODE);
                if (!seen.equals(List.of(13, 8, 13))) {
                    return new ExceptionStateLayout(size, -1, -1, "after clearing the field at context offset " + offset
                            + " a #GP was reported as " + seen.subList(2, seen.size()) + ", not [13]");
                }
                List<Integer> codes = new ArrayList<>();
                for (int at = 0; at + 4 <= c0.length; at += 4) {
                    if (intAt(c0, at) != 0x1238 && intAt(c1, at) == 0x1238 && intAt(c2, at) == 0) {
                        codes.add(at);
                    }
                }
                return new ExceptionStateLayout(size, offset, codes.size() == 1 ? codes.get(0) : -1, null);
            }
        } catch (RuntimeException e) {
            return new ExceptionStateLayout(0, -1, -1, "the probe failed: " + e);
        }
    }

    private static void runAt(UnicornX86 cpu, long eip) {
        cpu.setReg(X86Reg.EIP, eip);
        cpu.run(10_000);
    }

    private static int intAt(byte[] b, int at) {
        return MemorySegment.ofArray(b).get(JAVA_INT.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN).withByteAlignment(1), at);
    }
}
