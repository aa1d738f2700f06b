package dev.sel4sim.vmm.x86.boot;

import dev.sel4sim.vmm.boot.BootImageException;
import dev.sel4sim.vmm.boot.ElfSegment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A 32-bit little-endian i386 ELF executable as a Multiboot loader reads it: entry point and
 * {@code PT_LOAD} segments, each checked to lie inside the file.
 *
 * @param entry    {@code e_entry}
 * @param segments the loadable segments, in file order
 */
public record Elf32Image(long entry, List<ElfSegment> segments) {
    private static final int EM_386 = 3;
    private static final int ET_EXEC = 2;
    private static final int PT_LOAD = 1;
    private static final int EHDR_SIZE = 52;
    private static final int PHDR_SIZE = 32;

    public Elf32Image {
        segments = List.copyOf(segments);
    }

    /** @throws BootImageException when the file is not a loadable i386 ELF executable, saying why */
    public static Elf32Image parse(byte[] file) throws BootImageException {
        if (file.length < EHDR_SIZE || file[0] != 0x7f || file[1] != 'E' || file[2] != 'L' || file[3] != 'F') {
            throw new BootImageException("not an ELF file (and the Multiboot header has no address fields, flag 16)");
        }
        if (file[4] != 1 || file[5] != 1) {
            throw new BootImageException("ELF class " + file[4] + " / data " + file[5] + ": a Multiboot kernel is 32-bit"
                    + " little-endian ELF (class 1, data 1)");
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int type = Short.toUnsignedInt(b.getShort(16));
        int machine = Short.toUnsignedInt(b.getShort(18));
        if (machine != EM_386) {
            throw new BootImageException("ELF machine " + machine + ", not i386 (3)");
        }
        if (type != ET_EXEC) {
            throw new BootImageException("ELF type " + type + " is not an executable (ET_EXEC = 2)");
        }
        long entry = Integer.toUnsignedLong(b.getInt(24));
        long phoff = Integer.toUnsignedLong(b.getInt(28));
        int phentsize = Short.toUnsignedInt(b.getShort(42));
        int phnum = Short.toUnsignedInt(b.getShort(44));
        if (phnum == 0 || phentsize != PHDR_SIZE || phoff < EHDR_SIZE || phoff + (long) phnum * PHDR_SIZE > file.length) {
            throw new BootImageException("the ELF program header table (" + phnum + " entries of " + phentsize + " bytes at "
                    + phoff + ") is missing or outside the file of " + file.length + " bytes");
        }
        List<ElfSegment> loads = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int at = (int) phoff + i * PHDR_SIZE;
            if (b.getInt(at) != PT_LOAD) {
                continue;
            }
            ElfSegment s = new ElfSegment(u32(b, at + 4), u32(b, at + 8), u32(b, at + 12), u32(b, at + 16), u32(b, at + 20),
                    b.getInt(at + 24), u32(b, at + 28));
            if (s.fileOffset() + s.fileSize() > file.length) {
                throw new BootImageException(String.format("PT_LOAD %d: file bytes [0x%x, +0x%x) lie outside the file of %d bytes",
                        i, s.fileOffset(), s.fileSize(), file.length));
            }
            if (s.fileSize() > s.memorySize()) {
                throw new BootImageException(String.format("PT_LOAD %d: p_filesz 0x%x exceeds p_memsz 0x%x", i, s.fileSize(),
                        s.memorySize()));
            }
            if (s.physicalAddress() + s.memorySize() > 0x1_0000_0000L) {
                throw new BootImageException(String.format("PT_LOAD %d: physical 0x%x + 0x%x is beyond 4 GiB", i,
                        s.physicalAddress(), s.memorySize()));
            }
            loads.add(s);
        }
        if (loads.isEmpty()) {
            throw new BootImageException("the ELF file has no PT_LOAD segment");
        }
        return new Elf32Image(entry, loads);
    }

    /** The entry point as a physical address, through the segment that holds it (virtual and physical may differ). */
    public long entryPhysical() throws BootImageException {
        for (ElfSegment s : segments) {
            if (s.containsVirtual(entry)) {
                return s.physicalAddress() + (entry - s.virtualAddress());
            }
        }
        throw new BootImageException(String.format("the ELF entry point 0x%x is in no PT_LOAD segment", entry));
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }
}
