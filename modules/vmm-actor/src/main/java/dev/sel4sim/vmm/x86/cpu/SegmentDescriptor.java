package dev.sel4sim.vmm.x86.cpu;

/**
 * One 8-byte legacy descriptor from the GDT, LDT or IDT, decoded.
 *
 * @param low  bytes 0-3
 * @param high bytes 4-7
 */
public record SegmentDescriptor(int low, int high) {

    /** Decodes the 8 bytes at {@code offset} of {@code bytes}, little-endian. */
    public static SegmentDescriptor of(byte[] bytes, int offset) {
        return new SegmentDescriptor(le32(bytes, offset), le32(bytes, offset + 4));
    }

    static int le32(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    /** The segment base (segment descriptors). */
    public long base() {
        return ((low >>> 16) | (high & 0xff) << 16 | (high & 0xff00_0000)) & 0xffff_ffffL;
    }

    /** The limit in bytes, scaled by the granularity bit (segment descriptors). */
    public long limit() {
        long raw = (low & 0xffff) | (high & 0x000f_0000);
        return granular() ? (raw << 12) | 0xfff : raw;
    }

    /** Bits 8-23 of the high word (type, S, DPL, P, AVL, L, D/B, G), as the processor caches them. */
    public int flags() {
        return high & 0x00ff_ff00;
    }

    /** The 4-bit type field. */
    public int type() {
        return (high >>> 8) & 0xf;
    }

    /** S: a code or data segment (true) or a system descriptor (false). */
    public boolean codeOrData() {
        return (high & (1 << 12)) != 0;
    }

    public int dpl() {
        return (high >>> 13) & 3;
    }

    public boolean present() {
        return (high & (1 << 15)) != 0;
    }

    public boolean granular() {
        return (high & (1 << 23)) != 0;
    }

    /** D/B: a 32-bit segment. */
    public boolean big() {
        return (high & (1 << 22)) != 0;
    }

    /** A code segment (S set, type bit 3 set). */
    public boolean code() {
        return codeOrData() && (type() & 8) != 0;
    }

    /** For a gate: the target code selector. */
    public int gateSelector() {
        return low >>> 16;
    }

    /** For a gate: the target offset (32-bit gates; the high half is 0 in 16-bit ones). */
    public long gateOffset() {
        return ((low & 0xffff) | (high & 0xffff_0000)) & 0xffff_ffffL;
    }
}
