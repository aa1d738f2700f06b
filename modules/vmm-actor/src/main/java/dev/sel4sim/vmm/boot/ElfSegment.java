package dev.sel4sim.vmm.boot;

/**
 * A loadable ({@code PT_LOAD}) segment of an ELF file: copy {@code fileSize} bytes from {@code fileOffset} to
 * {@code physicalAddress}, then zero up to {@code memorySize}.
 *
 * @param fileOffset      {@code p_offset}
 * @param virtualAddress  {@code p_vaddr} (may be a high kernel address; compare unsigned)
 * @param physicalAddress {@code p_paddr}, where the bytes go in guest physical memory
 * @param fileSize        {@code p_filesz}
 * @param memorySize      {@code p_memsz}, at least {@code fileSize}
 * @param flags           {@code p_flags}: PF_X 1, PF_W 2, PF_R 4
 * @param align           {@code p_align}
 */
public record ElfSegment(long fileOffset, long virtualAddress, long physicalAddress, long fileSize,
                         long memorySize, int flags, long align) {

    /** @return the first physical address after the segment */
    public long physicalEnd() {
        return physicalAddress + memorySize;
    }

    /** @return true if the segment is executable (PF_X) */
    public boolean executable() {
        return (flags & 1) != 0;
    }

    /**
     * @param address a virtual address
     * @return true if the address lies in {@code [p_vaddr, p_vaddr + p_memsz)}, compared unsigned
     */
    public boolean containsVirtual(long address) {
        return Long.compareUnsigned(address, virtualAddress) >= 0
                && Long.compareUnsigned(address - virtualAddress, memorySize) < 0;
    }
}
