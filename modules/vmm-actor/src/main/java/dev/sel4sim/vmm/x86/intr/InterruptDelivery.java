package dev.sel4sim.vmm.x86.intr;

import dev.sel4sim.vmm.x86.cpu.SegmentDescriptor;
import dev.sel4sim.vmm.x86.cpu.SegmentReg;
import dev.sel4sim.vmm.x86.cpu.SegmentState;
import dev.sel4sim.vmm.x86.cpu.TableRegister;
import dev.sel4sim.vmm.x86.cpu.X86Reg;
import dev.sel4sim.vmm.x86.cpu.X86State;

/**
 * Takes an interrupt or exception the way the processor does, for an engine that does not vector
 * them itself: through the real-mode interrupt vector table, or through a protected-mode interrupt or
 * trap gate (16- or 32-bit) at the same privilege level or, via the TSS's stack for the target level,
 * from an outer one. Task gates, virtual-8086 mode and long mode are not handled: they fail with a
 * {@link DeliveryFailure} that names them.
 */
public final class InterruptDelivery {
    private static final long CR0_PE = 1;
    private static final long IF = 1 << 9;
    private static final long TF = 1 << 8;
    private static final long NT = 1 << 14;
    private static final long RF = 1 << 16;
    private static final long VM = 1 << 17;
    private static final long AC = 1 << 18;

    private InterruptDelivery() {
    }

    /** True for the exceptions that push an error code (#DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP). */
    public static boolean pushesErrorCode(int vector) {
        return switch (vector) {
            case 8, 10, 11, 12, 13, 14, 17, 21 -> true;
            default -> false;
        };
    }

    /**
     * Delivers {@code vector}. The return address is the current EIP: for a fault that is the faulting
     * instruction, for INT n and external interrupts the next one, as the caller left it.
     *
     * @param errorCode pushed when {@code kind} is EXCEPTION and the vector takes one (protected mode only)
     */
    public static void deliver(X86State cpu, int vector, InterruptKind kind, int errorCode) throws DeliveryFailure {
        if (vector < 0 || vector > 255) {
            throw new DeliveryFailure("vector " + vector + " does not exist");
        }
        if ((cpu.reg(X86Reg.CR0) & CR0_PE) == 0) {
            deliverReal(cpu, vector);
        } else {
            if ((cpu.reg(X86Reg.EFLAGS) & VM) != 0) {
                throw new DeliveryFailure("vector " + vector + ": virtual-8086 mode is not supported");
            }
            boolean withError = kind == InterruptKind.EXCEPTION && pushesErrorCode(vector);
            deliverProtected(cpu, vector, kind, withError, errorCode);
        }
    }

    private static void deliverReal(X86State cpu, int vector) throws DeliveryFailure {
        TableRegister ivt = cpu.idtr();
        if (vector * 4L + 3 > ivt.limit()) {
            throw new DeliveryFailure(String.format("vector 0x%x is beyond the real-mode IVT limit 0x%x", vector, ivt.limit()));
        }
        byte[] entry = read(cpu, ivt.base() + vector * 4L, 4, "the IVT entry of vector " + vector);
        int offset = (entry[0] & 0xff) | (entry[1] & 0xff) << 8;
        int segment = (entry[2] & 0xff) | (entry[3] & 0xff) << 8;
        long flags = cpu.reg(X86Reg.EFLAGS);
        int cs = cpu.segment(SegmentReg.CS).selector();
        int ip = (int) (cpu.reg(X86Reg.EIP) & 0xffff);
        SegmentState ss = cpu.segment(SegmentReg.SS);
        int sp = (int) (cpu.reg(X86Reg.ESP) & 0xffff);
        byte[] frame = new byte[6];
        put16(frame, 0, ip);
        put16(frame, 2, cs);
        put16(frame, 4, (int) flags);
        int newSp = (sp - 6) & 0xffff;
        if (newSp > 0xfffa) {
            throw new DeliveryFailure("vector " + vector + ": the real-mode stack wraps at SS:SP 0x"
                    + Integer.toHexString(ss.selector()) + ":" + Integer.toHexString(sp));
        }
        write(cpu, ss.base() + newSp, frame, "the real-mode stack");
        cpu.setReg(X86Reg.ESP, (cpu.reg(X86Reg.ESP) & ~0xffffL) | newSp);
        cpu.setReg(X86Reg.EFLAGS, flags & ~(IF | TF | AC));
        cpu.setSegment(SegmentReg.CS, segment);
        cpu.setReg(X86Reg.EIP, offset);
    }

    private static void deliverProtected(X86State cpu, int vector, InterruptKind kind, boolean withError, int errorCode)
            throws DeliveryFailure {
        TableRegister idt = cpu.idtr();
        if (vector * 8L + 7 > idt.limit()) {
            throw new DeliveryFailure(String.format("vector 0x%x is beyond the IDT limit 0x%x", vector, idt.limit()));
        }
        SegmentDescriptor gate = SegmentDescriptor.of(read(cpu, idt.base() + vector * 8L, 8, "the IDT gate of vector " + vector), 0);
        int type = gate.type();
        boolean trap;
        boolean gate32;
        switch (type) {
            case 0xe -> { trap = false; gate32 = true; }
            case 0xf -> { trap = true; gate32 = true; }
            case 0x6 -> { trap = false; gate32 = false; }
            case 0x7 -> { trap = true; gate32 = false; }
            case 0x5 -> throw new DeliveryFailure(String.format("vector 0x%x: task gates are not supported", vector));
            default -> throw new DeliveryFailure(String.format("vector 0x%x: IDT entry of type 0x%x is not a gate", vector, type));
        }
        if (gate.codeOrData()) {
            throw new DeliveryFailure(String.format("vector 0x%x: IDT entry is a segment descriptor, not a gate", vector));
        }
        int cpl = cpu.segment(SegmentReg.CS).selector() & 3;
        if (kind == InterruptKind.SOFTWARE && gate.dpl() < cpl) {
            throw new DeliveryFailure(String.format("vector 0x%x: INT from CPL %d through a gate of DPL %d (#GP)", vector, cpl,
                    gate.dpl()));
        }
        if (!gate.present()) {
            throw new DeliveryFailure(String.format("vector 0x%x: the gate is not present (#NP)", vector));
        }
        int selector = gate.gateSelector();
        SegmentDescriptor target = descriptor(cpu, selector, "the gate's code segment of vector " + vector);
        if (!target.code() || !target.present()) {
            throw new DeliveryFailure(String.format("vector 0x%x: selector 0x%x is not a present code segment", vector, selector));
        }
        boolean conforming = (target.type() & 4) != 0;
        int targetPl = conforming ? cpl : target.dpl();
        if (targetPl > cpl) {
            throw new DeliveryFailure(String.format("vector 0x%x: target code segment DPL %d is above CPL %d", vector, targetPl, cpl));
        }
        long eflags = cpu.reg(X86Reg.EFLAGS);
        long eip = cpu.reg(X86Reg.EIP);
        int oldCs = cpu.segment(SegmentReg.CS).selector();
        SegmentState oldSs = cpu.segment(SegmentReg.SS);
        long oldEsp = cpu.reg(X86Reg.ESP);
        int width = gate32 ? 4 : 2;

        long[] values;
        int newSs;
        long newEsp;
        long stackBase;
        if (targetPl < cpl) {
            // The stack for the inner level comes from the TSS; the old stack pointer goes onto it.
            SegmentState tr = cpu.segment(SegmentReg.TR);
            if (tr.limit() < 8L * targetPl + 11) {
                throw new DeliveryFailure(String.format("vector 0x%x: privilege change to %d, but the TSS (limit 0x%x) has no"
                        + " stack for it", vector, targetPl, tr.limit()));
            }
            byte[] stack = read(cpu, tr.base() + 4 + 8L * targetPl, 8, "the TSS stack of level " + targetPl);
            newEsp = le32(stack, 0);
            newSs = (int) (le32(stack, 4) & 0xffff);
            SegmentDescriptor ssDesc = descriptor(cpu, newSs, "the TSS's stack segment");
            if ((newSs & 3) != targetPl || ssDesc.dpl() != targetPl || ssDesc.code() || !ssDesc.present()) {
                throw new DeliveryFailure(String.format("vector 0x%x: TSS stack segment 0x%x is not a writable level-%d data segment",
                        vector, newSs, targetPl));
            }
            stackBase = ssDesc.base();
            values = withError
                    ? new long[] {errorCode, eip, oldCs, eflags, oldEsp, oldSs.selector()}
                    : new long[] {eip, oldCs, eflags, oldEsp, oldSs.selector()};
        } else {
            newSs = oldSs.selector();
            newEsp = oldEsp;
            stackBase = oldSs.base();
            values = withError ? new long[] {errorCode, eip, oldCs, eflags} : new long[] {eip, oldCs, eflags};
        }
        byte[] frame = new byte[values.length * width];
        for (int i = 0; i < values.length; i++) {
            if (width == 4) {
                put32(frame, i * 4, values[i]);
            } else {
                put16(frame, i * 2, (int) values[i]);
            }
        }
        long top = (newEsp - frame.length) & 0xffff_ffffL;
        write(cpu, stackBase + top, frame, "the interrupt stack");

        long newFlags = eflags & ~(TF | NT | RF | VM);
        if (!trap) {
            newFlags &= ~IF;
        }
        if (targetPl < cpl) {
            loadInnerSegments(cpu, newSs, selector & ~3 | targetPl);
        } else {
            cpu.setSegment(SegmentReg.CS, (selector & ~3) | cpl);
        }
        cpu.setReg(X86Reg.ESP, top);
        cpu.setReg(X86Reg.EFLAGS, newFlags);
        cpu.setReg(X86Reg.EIP, gate32 ? gate.gateOffset() : gate.gateOffset() & 0xffff);
    }

    /**
     * Loads the inner-level SS and CS. An engine may refuse to load a more privileged segment from an
     * outer level through its register interface; leaving protected mode for the moment (where no
     * privilege applies) lets the first load through, and the second, at level 0, sets the hidden parts.
     */
    private static void loadInnerSegments(X86State cpu, int ss, int cs) throws DeliveryFailure {
        try {
            cpu.setSegment(SegmentReg.SS, ss);
            cpu.setSegment(SegmentReg.CS, cs);
        } catch (RuntimeException refused) {
            long cr0 = cpu.reg(X86Reg.CR0);
            try {
                cpu.setReg(X86Reg.CR0, cr0 & ~CR0_PE);
                cpu.setSegment(SegmentReg.SS, ss);
                cpu.setSegment(SegmentReg.CS, cs);
                cpu.setReg(X86Reg.CR0, cr0);
                cpu.setSegment(SegmentReg.SS, ss);
                cpu.setSegment(SegmentReg.CS, cs);
            } catch (RuntimeException e) {
                cpu.setReg(X86Reg.CR0, cr0);
                throw new DeliveryFailure("could not load the inner-level segments SS 0x" + Integer.toHexString(ss) + " CS 0x"
                        + Integer.toHexString(cs) + ": " + e.getMessage());
            }
        }
    }

    /** The descriptor a selector names, from the GDT (the LDT is not supported for these). */
    private static SegmentDescriptor descriptor(X86State cpu, int selector, String what) throws DeliveryFailure {
        if ((selector & 4) != 0) {
            throw new DeliveryFailure(what + ": selector 0x" + Integer.toHexString(selector) + " is in the LDT (not supported)");
        }
        int index = selector & ~7;
        TableRegister gdt = cpu.gdtr();
        if (index == 0 || index + 7 > gdt.limit()) {
            throw new DeliveryFailure(what + ": selector 0x" + Integer.toHexString(selector) + " is null or beyond the GDT limit 0x"
                    + Integer.toHexString(gdt.limit()));
        }
        return SegmentDescriptor.of(read(cpu, gdt.base() + index, 8, what), 0);
    }

    private static byte[] read(X86State cpu, long linear, int length, String what) throws DeliveryFailure {
        byte[] b = cpu.readLinear(linear, length);
        if (b == null) {
            throw new DeliveryFailure(what + " at linear 0x" + Long.toHexString(linear) + " is not mapped");
        }
        return b;
    }

    private static void write(X86State cpu, long linear, byte[] data, String what) throws DeliveryFailure {
        if (!cpu.writeLinear(linear, data)) {
            throw new DeliveryFailure(what + " at linear 0x" + Long.toHexString(linear) + " is not mapped");
        }
    }

    private static long le32(byte[] b, int o) {
        return ((b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (long) (b[o + 3] & 0xff) << 24);
    }

    private static void put16(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
    }

    private static void put32(byte[] b, int o, long v) {
        put16(b, o, (int) v);
        put16(b, o + 2, (int) (v >>> 16));
    }
}
