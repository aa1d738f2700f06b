package dev.sel4sim.vmm.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A 64-bit little-endian AArch64 ELF executable ({@code ET_EXEC}, {@code EM_AARCH64}) as a boot image: its entry
 * point and loadable segments, checked against the file so a loader can copy them without further checks.
 *
 * <p>Checked: identification (class, data, version), type, machine, the program header table's place and entry
 * size, every {@code PT_LOAD} inside the file with {@code p_filesz <= p_memsz}, no address range wrapping or
 * reaching 2^63, no two segments sharing physical bytes, and the entry inside a loadable segment.
 *
 * @param entry    {@code e_entry}, a virtual address
 * @param segments the {@code PT_LOAD} segments, in file order
 */
public record ElfImage(long entry, List<ElfSegment> segments) {

    /** {@code e_machine} of AArch64. */
    public static final int EM_AARCH64 = 183;
    private static final int ET_REL = 1;
    private static final int ET_EXEC = 2;
    private static final int ET_DYN = 3;
    private static final int PT_LOAD = 1;
    private static final int EHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;

    /** Copies the list. */
    public ElfImage {
        segments = List.copyOf(segments);
    }

    /**
     * @param file the whole ELF file
     * @return its entry and loadable segments
     * @throws BootImageException if it is not a loadable AArch64 ELF executable, saying why
     */
    public static ElfImage parse(byte[] file) throws BootImageException {
        if (file.length < 4 || file[0] != 0x7f || file[1] != 'E' || file[2] != 'L' || file[3] != 'F') {
            throw new BootImageException(FileKind.describeNonImage(file)
                    .orElse("not an ELF file: no \\x7fELF magic at offset 0"));
        }
        if (file.length < EHDR_SIZE) {
            throw new BootImageException("ELF file of " + file.length + " bytes is shorter than its 64-byte header");
        }
        if (file[4] != 2) {
            throw new BootImageException("ELF class " + file[4] + ": only 64-bit ELF (class 2) is supported");
        }
        if (file[5] != 1) {
            throw new BootImageException("ELF data encoding " + file[5] + ": only little-endian (1) is supported");
        }
        if (file[6] != 1) {
            throw new BootImageException("ELF identification version " + file[6] + ", expected 1");
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int type = Short.toUnsignedInt(b.getShort(16));
        int machine = Short.toUnsignedInt(b.getShort(18));
        if (machine != EM_AARCH64) {
            throw new BootImageException("ELF for machine " + machine + " (" + machineName(machine)
                    + "), not AArch64 (183)");
        }
        switch (type) {
            case ET_EXEC -> {
            }
            case ET_REL -> throw new BootImageException("a relocatable object (ET_REL): link it into an executable");
            case ET_DYN -> throw new BootImageException("a position-independent ELF (ET_DYN): only fixed-address "
                    + "executables (ET_EXEC) are loaded; link it with a fixed address");
            default -> throw new BootImageException("ELF type " + type + " is not an executable (ET_EXEC = 2)");
        }
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = Short.toUnsignedInt(b.getShort(54));
        int phnum = Short.toUnsignedInt(b.getShort(56));
        if (phnum == 0xffff) {
            throw new BootImageException("more than 65534 program headers (PN_XNUM) are not supported");
        }
        if (phnum == 0) {
            throw new BootImageException("the ELF file has no program headers, so nothing to load");
        }
        if (phentsize != PHDR_SIZE) {
            throw new BootImageException("program header entries of " + phentsize + " bytes, expected 56");
        }
        if (phoff < EHDR_SIZE || phoff > file.length || (long) phnum * PHDR_SIZE > file.length - phoff) {
            throw new BootImageException("the program header table (" + phnum + " entries at offset " + phoff
                    + ") lies outside the file of " + file.length + " bytes");
        }
        List<ElfSegment> loads = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int at = (int) phoff + i * PHDR_SIZE;
            if (b.getInt(at) != PT_LOAD) {
                continue;
            }
            ElfSegment s = new ElfSegment(b.getLong(at + 8), b.getLong(at + 16), b.getLong(at + 24),
                    b.getLong(at + 32), b.getLong(at + 40), b.getInt(at + 4), b.getLong(at + 48));
            check(s, i, file.length);
            loads.add(s);
        }
        if (loads.isEmpty()) {
            throw new BootImageException("the ELF file has no PT_LOAD segment");
        }
        List<ElfSegment> byAddress = new ArrayList<>(loads);
        byAddress.sort(Comparator.comparingLong(ElfSegment::physicalAddress));
        for (int i = 1; i < byAddress.size(); i++) {
            ElfSegment prev = byAddress.get(i - 1);
            ElfSegment next = byAddress.get(i);
            if (next.physicalAddress() < prev.physicalEnd()) {
                throw new BootImageException(String.format("PT_LOAD segments at physical 0x%x and 0x%x overlap",
                        prev.physicalAddress(), next.physicalAddress()));
            }
        }
        if (loads.stream().noneMatch(s -> s.containsVirtual(entry))) {
            throw new BootImageException(String.format("the entry point 0x%x is in no PT_LOAD segment", entry));
        }
        return new ElfImage(entry, loads);
    }

    /** @return the entry point as a physical address, through the segment that contains it */
    public long entryPhysical() {
        for (ElfSegment s : segments) {
            if (s.containsVirtual(entry)) {
                return s.physicalAddress() + (entry - s.virtualAddress());
            }
        }
        throw new IllegalStateException("entry outside every segment");
    }

    /** @return the lowest physical address a segment occupies */
    public long physicalStart() {
        return segments.stream().mapToLong(ElfSegment::physicalAddress).min().orElseThrow();
    }

    /** @return the first physical address after every segment */
    public long physicalEnd() {
        return segments.stream().mapToLong(ElfSegment::physicalEnd).max().orElseThrow();
    }

    private static void check(ElfSegment s, int index, long fileLength) throws BootImageException {
        String where = "PT_LOAD (program header " + index + ")";
        if (s.fileOffset() < 0 || s.fileSize() < 0 || s.fileOffset() > fileLength
                || s.fileSize() > fileLength - s.fileOffset()) {
            throw new BootImageException(String.format("%s: file bytes [0x%x, +0x%x) lie outside the file of %d "
                    + "bytes", where, s.fileOffset(), s.fileSize(), fileLength));
        }
        if (s.memorySize() < 0 || Long.compareUnsigned(s.fileSize(), s.memorySize()) > 0) {
            throw new BootImageException(String.format("%s: p_filesz 0x%x exceeds p_memsz 0x%x", where,
                    s.fileSize(), s.memorySize()));
        }
        if (s.physicalAddress() < 0 || s.physicalAddress() > Long.MAX_VALUE - s.memorySize()) {
            throw new BootImageException(String.format("%s: physical range 0x%x + 0x%x is beyond 2^63", where,
                    s.physicalAddress(), s.memorySize()));
        }
        if (s.memorySize() > 0 && Long.compareUnsigned(s.virtualAddress() + s.memorySize() - 1,
                s.virtualAddress()) < 0) {
            throw new BootImageException(String.format("%s: virtual range 0x%x + 0x%x wraps around", where,
                    s.virtualAddress(), s.memorySize()));
        }
        if (s.align() != 0 && Long.bitCount(s.align()) != 1) {
            throw new BootImageException(String.format("%s: p_align 0x%x is not a power of two", where,
                    s.align()));
        }
    }

    private static String machineName(int machine) {
        return switch (machine) {
            case 3 -> "i386";
            case 40 -> "32-bit ARM";
            case 62 -> "x86-64";
            case 243 -> "RISC-V";
            default -> "unknown";
        };
    }
}
