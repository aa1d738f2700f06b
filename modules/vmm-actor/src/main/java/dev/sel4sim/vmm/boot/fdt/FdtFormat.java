package dev.sel4sim.vmm.boot.fdt;

/**
 * Constants of the flattened device tree format (Devicetree Specification, chapter 5), shared by the writer
 * and the reader. All multi-byte fields of a DTB are big-endian.
 */
final class FdtFormat {

    /** The header's first word. */
    static final int MAGIC = 0xd00dfeed;
    /** The version this package writes: v17 adds {@code size_dt_struct} to v16. */
    static final int VERSION = 17;
    /** The oldest version a v17 blob stays readable by. */
    static final int LAST_COMPATIBLE_VERSION = 16;
    /** Ten 32-bit fields. */
    static final int HEADER_SIZE = 40;
    /** A v16 header lacks {@code size_dt_struct}. */
    static final int HEADER_SIZE_V16 = 36;

    static final int FDT_BEGIN_NODE = 0x1;
    static final int FDT_END_NODE = 0x2;
    static final int FDT_PROP = 0x3;
    static final int FDT_NOP = 0x4;
    static final int FDT_END = 0x9;

    /** Longest node name before the {@code @} and longest property name the specification allows. */
    static final int MAX_NAME_LENGTH = 31;
    /** libfdt's limit; also keeps recursive walks of a parsed tree far from the Java stack's end. */
    static final int MAX_DEPTH = 64;

    /** The phandle values 0 and 0xffffffff are reserved. */
    static boolean validPhandle(int phandle) {
        return phandle != 0 && phandle != -1;
    }

    private FdtFormat() {
    }
}
