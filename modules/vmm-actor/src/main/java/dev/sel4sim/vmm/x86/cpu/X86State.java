package dev.sel4sim.vmm.x86.cpu;

/**
 * The architectural state interrupt delivery and boot loaders work on: registers, segments,
 * descriptor tables and memory by linear address. {@link X86Cpu} is one; tests use plain ones.
 */
public interface X86State {
    long reg(X86Reg reg);

    void setReg(X86Reg reg, long value);

    SegmentState segment(SegmentReg reg);

    /**
     * Loads a segment register. In protected mode the engine reads the descriptor from the GDT for
     * the hidden part; in real mode the base is {@code selector << 4}.
     */
    void setSegment(SegmentReg reg, int selector);

    TableRegister gdtr();

    void setGdtr(TableRegister value);

    TableRegister idtr();

    void setIdtr(TableRegister value);

    /**
     * Reads {@code length} bytes at a linear address through the guest's paging (if on).
     *
     * @return the bytes, or null when some page is not present or not memory
     */
    byte[] readLinear(long linear, int length);

    /** Writes bytes at a linear address; false when some page is not present or not memory. */
    boolean writeLinear(long linear, byte[] data);
}
