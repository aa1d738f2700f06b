package dev.sel4sim.vmm.x86.intr;

import dev.sel4sim.vmm.x86.cpu.SegmentDescriptor;
import dev.sel4sim.vmm.x86.cpu.SegmentReg;
import dev.sel4sim.vmm.x86.cpu.SegmentState;
import dev.sel4sim.vmm.x86.cpu.TableRegister;
import dev.sel4sim.vmm.x86.cpu.X86Reg;
import dev.sel4sim.vmm.x86.cpu.X86State;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/** A processor state without paging over 1 MiB of memory; segment loads read the GDT as the processor would. */
final class FlatX86State implements X86State {
    final byte[] memory = new byte[1 << 20];
    final Map<X86Reg, Long> regs = new EnumMap<>(X86Reg.class);
    final Map<SegmentReg, SegmentState> segments = new EnumMap<>(SegmentReg.class);
    TableRegister gdtr = new TableRegister(0, 0xffff);
    TableRegister idtr = new TableRegister(0, 0x3ff);

    FlatX86State() {
        for (X86Reg r : X86Reg.values()) {
            regs.put(r, 0L);
        }
        for (SegmentReg s : SegmentReg.values()) {
            segments.put(s, new SegmentState(0, 0, 0xffff, 0));
        }
    }

    @Override
    public long reg(X86Reg reg) {
        return regs.get(reg);
    }

    @Override
    public void setReg(X86Reg reg, long value) {
        regs.put(reg, value);
    }

    @Override
    public SegmentState segment(SegmentReg reg) {
        return segments.get(reg);
    }

    @Override
    public void setSegment(SegmentReg reg, int selector) {
        if ((regs.get(X86Reg.CR0) & 1) == 0) {
            segments.put(reg, new SegmentState(selector, (long) selector << 4, 0xffff, 0));
            return;
        }
        SegmentDescriptor d = SegmentDescriptor.of(memory, (int) gdtr.base() + (selector & ~7));
        segments.put(reg, new SegmentState(selector, d.base(), d.limit(), d.flags()));
    }

    void setSystemSegment(SegmentReg reg, SegmentState s) {
        segments.put(reg, s);
    }

    @Override
    public TableRegister gdtr() {
        return gdtr;
    }

    @Override
    public void setGdtr(TableRegister value) {
        gdtr = value;
    }

    @Override
    public TableRegister idtr() {
        return idtr;
    }

    @Override
    public void setIdtr(TableRegister value) {
        idtr = value;
    }

    @Override
    public byte[] readLinear(long linear, int length) {
        if (linear < 0 || linear + length > memory.length) {
            return null;
        }
        return Arrays.copyOfRange(memory, (int) linear, (int) linear + length);
    }

    @Override
    public boolean writeLinear(long linear, byte[] data) {
        if (linear < 0 || linear + data.length > memory.length) {
            return false;
        }
        System.arraycopy(data, 0, memory, (int) linear, data.length);
        return true;
    }

    void put32(long at, long v) {
        for (int i = 0; i < 4; i++) {
            memory[(int) at + i] = (byte) (v >>> (8 * i));
        }
    }

    long get32(long at) {
        long v = 0;
        for (int i = 3; i >= 0; i--) {
            v = v << 8 | (memory[(int) at + i] & 0xff);
        }
        return v;
    }

    int get16(long at) {
        return (memory[(int) at] & 0xff) | (memory[(int) at + 1] & 0xff) << 8;
    }

    /** A flat 4 GiB segment descriptor: {@code type} 0xA code, 0x2 data; 32-bit, page granular. */
    void flatSegment(int index, int type, int dpl) {
        long at = gdtr.base() + index * 8L;
        put32(at, 0x0000_ffffL);
        put32(at + 4, 0x00cf_0000L | 0x8000 | (long) dpl << 13 | 0x1000 | (long) type << 8);
    }

    /** A 32-bit gate in the IDT. */
    void gate(int vector, int selector, long offset, int type, int dpl) {
        long at = idtr.base() + vector * 8L;
        put32(at, (offset & 0xffff) | (long) selector << 16);
        put32(at + 4, (offset & 0xffff_0000L) | 0x8000 | (long) dpl << 13 | (long) type << 8);
    }
}
