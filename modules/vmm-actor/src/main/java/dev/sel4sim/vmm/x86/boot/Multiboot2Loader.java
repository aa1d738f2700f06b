package dev.sel4sim.vmm.x86.boot;

import dev.sel4sim.vmm.boot.BootImageException;

import java.util.List;

/**
 * Loads a Multiboot 2 kernel into guest RAM: the image by its header's address tag when it has
 * one, else by its ELF program headers; the modules page aligned after it; the boot information in
 * low memory at {@link MultibootLoader#INFO_ADDRESS}. The relocatable tag is not acted on: the
 * image goes to the address it was linked for. Entering the kernel is the VCPU's part, as for
 * Multiboot 1 but with EAX = {@link Multiboot2Header#BOOTLOADER_MAGIC}.
 */
public final class Multiboot2Loader {
    private Multiboot2Loader() {
    }

    /**
     * @throws BootImageException when the image is not a loadable Multiboot 2 kernel, or does not fit
     *                            the RAM {@code memory} has
     */
    public static Multiboot2Boot load(byte[] image, MultibootConfig config, BootMemory memory) throws BootImageException {
        Multiboot2Header header = Multiboot2Header.find(image);
        MultibootLoading.Span span;
        long entry;
        if (header.address().isPresent()) {
            Multiboot2Address a = header.address().get();
            span = MultibootLoading.loadFlat(image, a.fileStart(), a.loadAddr(), a.loadEnd(), a.imageEnd(), memory);
            entry = header.entry().getAsLong();
        } else {
            if (!isElf(image)) {
                throw new BootImageException("the kernel is not an ELF file, and its Multiboot 2 header has no address tag"
                        + " (type 2) to say where to load it");
            }
            Elf32Image elf = Elf32Image.parse(image);
            span = MultibootLoading.loadElf(elf, image, memory);
            // An entry address tag overrides the ELF entry point.
            entry = header.entry().isPresent() ? header.entry().getAsLong() : elf.entryPhysical();
        }
        if (!span.contains(entry)) {
            throw new BootImageException(String.format("the Multiboot 2 entry address 0x%x is outside the loaded image"
                    + " [0x%x, 0x%x)", entry, span.start(), span.end()));
        }
        MultibootLoading.checkAboveOneMiB(span);
        List<MultibootInfo.PlacedModule> placed = MultibootLoading.loadModules(span, config, memory);
        MultibootLoading.putInfo(memory, Multiboot2Info.build(config, placed));
        return new Multiboot2Boot(entry, MultibootLoader.INFO_ADDRESS, span.end(), MultibootLoading.modulesEnd(span, placed), header);
    }

    private static boolean isElf(byte[] image) {
        return image.length >= 4 && image[0] == 0x7f && image[1] == 'E' && image[2] == 'L' && image[3] == 'F';
    }
}
