package dev.sel4sim.vmm.x86.boot;

import dev.sel4sim.vmm.boot.BootImageException;
import dev.sel4sim.vmm.boot.ElfSegment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The steps both Multiboot protocols share once a header has said how to load a kernel: copying
 * the image by its ELF program headers or as a flat block, placing the modules page aligned after
 * it, and checking that the whole fits the machine's RAM.
 */
final class MultibootLoading {
    /** Where the information goes: low memory, above the real-mode IVT and BIOS data area. */
    static final long INFO_ADDRESS = 0x9000;
    /** The information must end below this (the kernel owns everything from 1 MiB; 0x80000 up is often the EBDA). */
    private static final long INFO_LIMIT = 0x80000;
    private static final long PAGE = 4096;
    private static final long ONE_MIB = 0x10_0000L;

    private MultibootLoading() {
    }

    /** Where a kernel image lies in guest-physical memory, its bss included. */
    record Span(long start, long end) {
        boolean contains(long address) {
            return address >= start && address < end;
        }
    }

    /** Copies each PT_LOAD segment to its physical address, the part beyond its file bytes zeroed. */
    static Span loadElf(Elf32Image elf, byte[] image, BootMemory memory) throws BootImageException {
        long start = Long.MAX_VALUE;
        long end = 0;
        for (ElfSegment s : elf.segments()) {
            byte[] bytes = new byte[(int) s.memorySize()];
            System.arraycopy(image, (int) s.fileOffset(), bytes, 0, (int) s.fileSize());
            put(memory, s.physicalAddress(), bytes, "ELF segment at 0x" + Long.toHexString(s.physicalAddress()));
            start = Math.min(start, s.physicalAddress());
            end = Math.max(end, s.physicalEnd());
        }
        return new Span(start, end);
    }

    /**
     * Copies file bytes [{@code fileStart}, + {@code loadEnd - loadAddr}) to {@code loadAddr} and
     * clears from {@code loadEnd} to {@code bssEnd} (no bss when it is not above {@code loadEnd}).
     */
    static Span loadFlat(byte[] image, long fileStart, long loadAddr, long loadEnd, long bssEnd, BootMemory memory)
            throws BootImageException {
        long end = Math.max(loadEnd, bssEnd);
        if (end - loadAddr > Integer.MAX_VALUE) {
            throw new BootImageException(String.format("the kernel image [0x%x, 0x%x) is larger than any guest RAM", loadAddr, end));
        }
        byte[] text = Arrays.copyOfRange(image, (int) fileStart, (int) (fileStart + loadEnd - loadAddr));
        put(memory, loadAddr, text, "the kernel image");
        if (end > loadEnd) {
            put(memory, loadEnd, new byte[(int) (end - loadEnd)], "the kernel's bss");
        }
        return new Span(loadAddr, end);
    }

    /** Low memory holds the boot information, the boot GDT and the PC's own tables: a kernel must not load there. */
    static void checkAboveOneMiB(Span image) throws BootImageException {
        if (image.start() < ONE_MIB) {
            throw new BootImageException(String.format("the kernel loads at 0x%x, below 1 MiB: it would overwrite the boot"
                    + " information and the PC's low memory", image.start()));
        }
    }

    /** Loads the modules one after another, each at the first page boundary after the image or the module before. */
    static List<MultibootInfo.PlacedModule> loadModules(Span image, MultibootConfig config, BootMemory memory)
            throws BootImageException {
        List<MultibootInfo.PlacedModule> placed = new ArrayList<>();
        long next = align(image.end());
        for (MultibootModule m : config.modules()) {
            put(memory, next, m.data(), "module \"" + m.cmdline() + "\"");
            placed.add(new MultibootInfo.PlacedModule(next, next + m.size(), m.cmdline()));
            next = align(next + m.size());
        }
        long modulesEnd = placed.isEmpty() ? image.end() : placed.getLast().end();
        if (modulesEnd > ONE_MIB + config.upperKiB() * 1024) {
            throw new BootImageException(String.format("the kernel and its modules end at 0x%x, beyond upper memory (%d KiB)",
                    modulesEnd, config.upperKiB()));
        }
        return placed;
    }

    /** The end of what the kernel and its modules occupy. */
    static long modulesEnd(Span image, List<MultibootInfo.PlacedModule> placed) {
        return placed.isEmpty() ? image.end() : placed.getLast().end();
    }

    static void putInfo(BootMemory memory, byte[] info) throws BootImageException {
        if (INFO_ADDRESS + info.length > INFO_LIMIT) {
            throw new BootImageException("the boot information (" + info.length + " bytes: command lines too long) does not fit"
                    + " low memory");
        }
        put(memory, INFO_ADDRESS, info, "the boot information");
    }

    static void put(BootMemory memory, long address, byte[] data, String what) throws BootImageException {
        if (!memory.write(address, data)) {
            throw new BootImageException(String.format("%s at 0x%x (%d bytes) is not in guest RAM", what, address, data.length));
        }
    }

    private static long align(long v) {
        return (v + PAGE - 1) & -PAGE;
    }
}
