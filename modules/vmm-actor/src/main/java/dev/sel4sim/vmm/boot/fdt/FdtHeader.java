package dev.sel4sim.vmm.boot.fdt;

import java.nio.ByteBuffer;

/**
 * The header of a device tree blob, checked against the blob's length and the specification's alignment
 * rules. Sizes and offsets are unsigned 32-bit values held in longs.
 *
 * @param totalSize       {@code totalsize}: bytes of the whole blob
 * @param offDtStruct     {@code off_dt_struct}: offset of the structure block (4-byte aligned)
 * @param offDtStrings    {@code off_dt_strings}: offset of the strings block
 * @param offMemRsvmap    {@code off_mem_rsvmap}: offset of the memory reservation block (8-byte aligned)
 * @param version         {@code version}
 * @param lastCompVersion {@code last_comp_version}
 * @param bootCpuidPhys   {@code boot_cpuid_phys}
 * @param sizeDtStrings   {@code size_dt_strings}
 * @param sizeDtStruct    {@code size_dt_struct} (v17); for a v16 blob, the bytes from the structure block's
 *                        start to the end of the blob
 */
public record FdtHeader(long totalSize, long offDtStruct, long offDtStrings, long offMemRsvmap, int version,
                        int lastCompVersion, int bootCpuidPhys, long sizeDtStrings, long sizeDtStruct) {

    /** The magic number, {@code 0xd00dfeed}, big-endian at offset 0. */
    public static final int MAGIC = FdtFormat.MAGIC;

    /**
     * Reads and checks the header.
     *
     * @param blob the blob (at least its header; its length bounds every offset)
     * @return the header
     * @throws FdtFormatException if the blob is not a DTB this package can read, with the reason
     */
    public static FdtHeader parse(byte[] blob) throws FdtFormatException {
        if (blob.length < FdtFormat.HEADER_SIZE_V16) {
            throw new FdtFormatException("too short for a device tree header: " + blob.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(blob);
        int magic = b.getInt(0);
        if (magic != FdtFormat.MAGIC) {
            throw new FdtFormatException("not a device tree blob: magic 0x" + Integer.toHexString(magic)
                    + ", expected 0xd00dfeed");
        }
        long total = u32(b, 4);
        long offStruct = u32(b, 8);
        long offStrings = u32(b, 12);
        long offRsvmap = u32(b, 16);
        int version = b.getInt(20);
        int lastComp = b.getInt(24);
        int bootCpu = b.getInt(28);
        long sizeStrings = u32(b, 32);
        if (version < 16) {
            throw new FdtFormatException("device tree version " + version + " is older than 16, not supported");
        }
        if (lastComp > FdtFormat.VERSION || lastComp < 0) {
            throw new FdtFormatException("device tree last compatible version " + lastComp
                    + " is newer than " + FdtFormat.VERSION + ", not supported");
        }
        long headerSize = version >= 17 ? FdtFormat.HEADER_SIZE : FdtFormat.HEADER_SIZE_V16;
        if (blob.length < headerSize) {
            throw new FdtFormatException("too short for a v" + version + " header: " + blob.length + " bytes");
        }
        if (total < headerSize) {
            throw new FdtFormatException("totalsize " + total + " is smaller than the header");
        }
        if (total > blob.length) {
            throw new FdtFormatException("truncated: totalsize is " + total + " but only " + blob.length
                    + " bytes are there");
        }
        long sizeStruct = version >= 17 ? u32(b, 36) : total - offStruct;
        checkBlock("memory reservation block", offRsvmap, 16, headerSize, total);
        if (offRsvmap % 8 != 0) {
            throw new FdtFormatException("off_mem_rsvmap " + offRsvmap + " is not 8-byte aligned");
        }
        checkBlock("structure block", offStruct, sizeStruct, headerSize, total);
        if (offStruct % 4 != 0) {
            throw new FdtFormatException("off_dt_struct " + offStruct + " is not 4-byte aligned");
        }
        checkBlock("strings block", offStrings, sizeStrings, headerSize, total);
        return new FdtHeader(total, offStruct, offStrings, offRsvmap, version, lastComp, bootCpu, sizeStrings,
                sizeStruct);
    }

    private static void checkBlock(String what, long offset, long size, long headerSize, long total)
            throws FdtFormatException {
        if (offset < headerSize || size < 0 || offset + size > total) {
            throw new FdtFormatException(what + " [" + offset + ", " + (offset + size)
                    + ") lies outside the blob [" + headerSize + ", " + total + ")");
        }
    }

    private static long u32(ByteBuffer b, int offset) {
        return Integer.toUnsignedLong(b.getInt(offset));
    }
}
