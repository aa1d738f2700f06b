package dev.sel4sim.vmm.x86.boot;

import dev.sel4sim.vmm.boot.BootImageException;

/**
 * Where a Multiboot 2 address tag (type 2) says to load the image, its fields resolved against the
 * file: the file bytes from {@code fileStart} go to {@code loadAddr} up to {@code loadEnd}, and the
 * bss is cleared from there to {@code imageEnd}.
 *
 * @param fileStart the file offset of the first loaded byte
 * @param loadAddr  the physical address of that byte
 * @param loadEnd   the end of the loaded file bytes (exclusive)
 * @param imageEnd  the end of the bss, or {@code loadEnd} without one
 */
public record Multiboot2Address(long fileStart, long loadAddr, long loadEnd, long imageEnd) {
    /** load_addr's value for "load the file from its first byte". */
    private static final long FROM_FILE_START = 0xffff_ffffL;

    /**
     * Resolves the tag's fields as the specification defines them: load_addr -1 loads from the
     * file's start, load_end_addr 0 loads the rest of the file, bss_end_addr 0 means no bss.
     *
     * @param headerOffset where the Multiboot 2 header is in the file (loaded at {@code headerAddr})
     * @throws BootImageException when the fields put the load outside the file or contradict each other
     */
    public static Multiboot2Address resolve(int headerOffset, long headerAddr, long loadAddr, long loadEndAddr, long bssEndAddr,
                                            int fileLength) throws BootImageException {
        long load = loadAddr == FROM_FILE_START ? headerAddr - headerOffset : loadAddr;
        if (load < 0 || headerAddr < load) {
            throw new BootImageException(String.format("the Multiboot 2 address tag's header_addr 0x%x is below its load_addr 0x%x",
                    headerAddr, load));
        }
        if (headerAddr - load > headerOffset) {
            throw new BootImageException(String.format("the Multiboot 2 address tag's load_addr 0x%x would start %d bytes before"
                    + " the file", load, headerAddr - load - headerOffset));
        }
        long fileStart = headerOffset - (headerAddr - load);
        long available = fileLength - fileStart;
        long loadEnd = loadEndAddr == 0 ? load + available : loadEndAddr;
        if (loadEnd < load || loadEnd - load > available) {
            throw new BootImageException(String.format("the Multiboot 2 address tag's load_end_addr 0x%x is outside load_addr"
                    + " 0x%x + the file's %d bytes from offset 0x%x", loadEndAddr, load, available, fileStart));
        }
        if (bssEndAddr != 0 && bssEndAddr < loadEnd) {
            throw new BootImageException(String.format("the Multiboot 2 address tag's bss_end_addr 0x%x is below the end of the"
                    + " loaded data 0x%x", bssEndAddr, loadEnd));
        }
        return new Multiboot2Address(fileStart, load, loadEnd, bssEndAddr == 0 ? loadEnd : bssEndAddr);
    }
}
