package dev.sel4sim.vmm.x86.boot;

import dev.sel4sim.vmm.boot.BootImageException;

import java.util.List;

/**
 * Loads a Multiboot 1 kernel into guest RAM: the image (by the header's address fields when flag
 * 16 is set, else by its ELF program headers), the modules page aligned after it, and the
 * information structure in low memory at {@link #INFO_ADDRESS}. Entering the kernel (protected
 * mode, flat segments, EAX and EBX) is the VCPU's part.
 */
public final class MultibootLoader {
    /** Where the information block goes: low memory, above the real-mode IVT and BIOS data area. */
    public static final long INFO_ADDRESS = MultibootLoading.INFO_ADDRESS;

    private MultibootLoader() {
    }

    /**
     * @throws BootImageException when the image is not a loadable Multiboot kernel, or does not fit
     *                            the RAM {@code memory} has
     */
    public static MultibootBoot load(byte[] image, MultibootConfig config, BootMemory memory) throws BootImageException {
        MultibootHeader header = MultibootHeader.find(image);
        MultibootLoading.Span span;
        long entry;
        if (header.aoutKludge()) {
            long fileStart = header.loadFileOffset();
            long loadEnd = header.loadEndAddr() == 0 ? header.loadAddr() + (image.length - fileStart) : header.loadEndAddr();
            span = MultibootLoading.loadFlat(image, fileStart, header.loadAddr(), loadEnd, header.bssEndAddr(), memory);
            entry = header.entryAddr();
        } else {
            Elf32Image elf = Elf32Image.parse(image);
            span = MultibootLoading.loadElf(elf, image, memory);
            entry = elf.entryPhysical();
        }
        MultibootLoading.checkAboveOneMiB(span);
        List<MultibootInfo.PlacedModule> placed = MultibootLoading.loadModules(span, config, memory);
        byte[] info = MultibootInfo.build(INFO_ADDRESS, config, placed, header.wantsVideoInfo());
        MultibootLoading.putInfo(memory, info);
        return new MultibootBoot(entry, INFO_ADDRESS, span.end(), MultibootLoading.modulesEnd(span, placed), header);
    }
}
