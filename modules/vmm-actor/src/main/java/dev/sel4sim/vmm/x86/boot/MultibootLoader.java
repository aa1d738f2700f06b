package dev.sel4sim.vmm.x86.boot;

import dev.sel4sim.vmm.boot.BootImageException;
import dev.sel4sim.vmm.boot.ElfSegment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads a Multiboot 1 kernel into guest RAM: the image (by the header's address fields when flag
 * 16 is set, else by its ELF program headers), the modules page aligned after it, and the
 * information structure in low memory at {@link #INFO_ADDRESS}. Entering the kernel (protected
 * mode, flat segments, EAX and EBX) is the VCPU's part.
 */
public final class MultibootLoader {
    /** Where the information block goes: low memory, above the real-mode IVT and BIOS data area. */
    public static final long INFO_ADDRESS = 0x9000;
    /** The block must end below this (the kernel owns everything from 1 MiB; 0x80000 up is often the EBDA). */
    private static final long INFO_LIMIT = 0x80000;
    private static final long PAGE = 4096;

    private MultibootLoader() {
    }

    /**
     * @throws BootImageException when the image is not a loadable Multiboot kernel, or does not fit
     *                            the RAM {@code memory} has
     */
    public static MultibootBoot load(byte[] image, MultibootConfig config, BootMemory memory) throws BootImageException {
        MultibootHeader header = MultibootHeader.find(image);
        long entry;
        long imageEnd;
        long imageStart;
        if (header.aoutKludge()) {
            long fileStart = header.loadFileOffset();
            long loadEnd = header.loadEndAddr() == 0 ? header.loadAddr() + (image.length - fileStart) : header.loadEndAddr();
            byte[] text = Arrays.copyOfRange(image, (int) fileStart, (int) (fileStart + loadEnd - header.loadAddr()));
            put(memory, header.loadAddr(), text, "the kernel image");
            imageEnd = Math.max(loadEnd, header.bssEndAddr());
            if (imageEnd > loadEnd) {
                put(memory, loadEnd, new byte[(int) (imageEnd - loadEnd)], "the kernel's bss");
            }
            imageStart = header.loadAddr();
            entry = header.entryAddr();
        } else {
            Elf32Image elf = Elf32Image.parse(image);
            imageStart = Long.MAX_VALUE;
            imageEnd = 0;
            for (ElfSegment s : elf.segments()) {
                byte[] bytes = new byte[(int) s.memorySize()];
                System.arraycopy(image, (int) s.fileOffset(), bytes, 0, (int) s.fileSize());
                put(memory, s.physicalAddress(), bytes, "ELF segment at 0x" + Long.toHexString(s.physicalAddress()));
                imageStart = Math.min(imageStart, s.physicalAddress());
                imageEnd = Math.max(imageEnd, s.physicalEnd());
            }
            entry = elf.entryPhysical();
        }
        if (imageStart < 0x10_0000L) {
            throw new BootImageException(String.format("the kernel loads at 0x%x, below 1 MiB: it would overwrite the boot"
                    + " information and the PC's low memory", imageStart));
        }
        List<MultibootInfo.PlacedModule> placed = new ArrayList<>();
        long next = align(imageEnd);
        for (MultibootModule m : config.modules()) {
            put(memory, next, m.data(), "module \"" + m.cmdline() + "\"");
            placed.add(new MultibootInfo.PlacedModule(next, next + m.size(), m.cmdline()));
            next = align(next + m.size());
        }
        long modulesEnd = placed.isEmpty() ? imageEnd : placed.getLast().end();
        if (modulesEnd > 0x10_0000L + config.upperKiB() * 1024) {
            throw new BootImageException(String.format("the kernel and its modules end at 0x%x, beyond upper memory (%d KiB)",
                    modulesEnd, config.upperKiB()));
        }
        byte[] info = MultibootInfo.build(INFO_ADDRESS, config, placed, header.wantsVideoInfo());
        if (INFO_ADDRESS + info.length > INFO_LIMIT) {
            throw new BootImageException("the boot information (" + info.length + " bytes: command lines too long) does not fit"
                    + " low memory");
        }
        put(memory, INFO_ADDRESS, info, "the boot information");
        return new MultibootBoot(entry, INFO_ADDRESS, imageEnd, modulesEnd, header);
    }

    private static void put(BootMemory memory, long address, byte[] data, String what) throws BootImageException {
        if (!memory.write(address, data)) {
            throw new BootImageException(String.format("%s at 0x%x (%d bytes) is not in guest RAM", what, address, data.length));
        }
    }

    private static long align(long v) {
        return (v + PAGE - 1) & -PAGE;
    }
}
