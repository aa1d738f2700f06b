package dev.sel4sim.vmm.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The 64-byte header of an arm64 Linux {@code Image} (Documentation/arch/arm64/booting.rst), and where the
 * image goes in RAM.
 *
 * <p>Header (all little-endian since v3.17): code0, code1 (u32), {@code text_offset} (u64 at 8),
 * {@code image_size} (u64 at 16), {@code flags} (u64 at 24), three reserved u64, {@code magic} 0x644d5241
 * ("ARM\x64") at 56, a reserved u32 (the PE header offset of an EFI-stub kernel) at 60.
 *
 * @param textOffset    {@code text_offset}: the image's offset from a 2 MiB aligned base, as the header gives it
 * @param imageSize     {@code image_size}: bytes from the image's start the kernel needs free (0 in kernels
 *                      before v3.17)
 * @param flags         the raw {@code flags} field
 * @param fileSize      the length of the Image file
 */
public record LinuxImage(long textOffset, long imageSize, long flags, long fileSize) {

    /** "ARM\x64" read as a little-endian u32. */
    public static final int MAGIC = 0x644d5241;
    /** Offset of the magic in the header. */
    public static final int MAGIC_OFFSET = 56;
    /** Length of the header. */
    public static final int HEADER_SIZE = 64;
    /** The image must sit {@code text_offset} above a base aligned to this. */
    public static final long BASE_ALIGN = 2L << 20;
    /** The {@code text_offset} to assume when {@code image_size} is 0. */
    public static final long LEGACY_TEXT_OFFSET = 0x80000;

    /** Where the kernel may sit, from bit 3 of the flags. */
    public enum Placement {
        /** The 2 MiB aligned base should be as close as possible to the start of DRAM. */
        NEAR_DRAM_START,
        /** Anywhere, as long as {@code image_size} bytes from the image's start are below 2^48. */
        ANYWHERE_BELOW_48_BITS
    }

    /** The kernel's page size, from bits 1-2 of the flags. */
    public enum PageSize {
        /** Not given. */
        UNSPECIFIED,
        /** 4 KiB. */
        SIZE_4K,
        /** 16 KiB. */
        SIZE_16K,
        /** 64 KiB. */
        SIZE_64K
    }

    /** Checks the sizes are plausible physical quantities. */
    public LinuxImage {
        if (textOffset < 0 || textOffset >= 1L << 48 || imageSize < 0 || imageSize >= 1L << 48) {
            throw new IllegalArgumentException("text_offset and image_size must lie below 2^48");
        }
        if (fileSize < HEADER_SIZE) {
            throw new IllegalArgumentException("an Image has at least its 64-byte header");
        }
    }

    /**
     * Parses a whole Image held in memory.
     *
     * @param image the file's bytes
     * @return its header
     * @throws BootImageException if it is not an arm64 Image, saying what it is instead
     */
    public static LinuxImage parse(byte[] image) throws BootImageException {
        return parseHeader(image, image.length);
    }

    /**
     * Parses the header of an Image.
     *
     * @param head     the file's first bytes, at least 64
     * @param fileSize the whole file's length
     * @return its header
     * @throws BootImageException if it is not an arm64 Image, saying what it is instead
     */
    public static LinuxImage parseHeader(byte[] head, long fileSize) throws BootImageException {
        var known = FileKind.describeNonImage(head);
        if (head.length < HEADER_SIZE || fileSize < HEADER_SIZE) {
            throw new BootImageException(known.orElse("the file is too short for an arm64 Image: "
                    + Math.min(head.length, fileSize) + " bytes, the header alone has " + HEADER_SIZE));
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new BootImageException(known.orElse(String.format("not an arm64 Image: no magic \"ARM\\x64\" "
                    + "(0x644d5241) at offset 56, found 0x%08x", magic)));
        }
        long textOffset = b.getLong(8);
        long imageSize = b.getLong(16);
        long flags = b.getLong(24);
        if (textOffset < 0 || textOffset >= 1L << 48) {
            throw new BootImageException(String.format("arm64 Image header has an implausible text_offset 0x%x",
                    textOffset));
        }
        if (imageSize < 0 || imageSize >= 1L << 48) {
            throw new BootImageException(String.format("arm64 Image header has an implausible image_size 0x%x",
                    imageSize));
        }
        return new LinuxImage(textOffset, imageSize, flags, fileSize);
    }

    /**
     * Reads only the header and the length of an Image file.
     *
     * @param file the Image
     * @return its header
     * @throws IOException        if the file cannot be read
     * @throws BootImageException if it is not an arm64 Image
     */
    public static LinuxImage read(Path file) throws IOException, BootImageException {
        long size = Files.size(file);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(0x400);
        }
        return parseHeader(head, size);
    }

    /** @return true for a kernel older than v3.17, whose header has {@code image_size} 0 */
    public boolean legacy() {
        return imageSize == 0;
    }

    /** @return the offset to use: {@code text_offset}, or 0x80000 for a legacy header */
    public long effectiveTextOffset() {
        return legacy() ? LEGACY_TEXT_OFFSET : textOffset;
    }

    /** @return true for a big-endian kernel (flags bit 0) */
    public boolean bigEndian() {
        return (flags & 1) != 0;
    }

    /** @return the kernel's page size (flags bits 1-2) */
    public PageSize pageSize() {
        return PageSize.values()[(int) (flags >>> 1 & 3)];
    }

    /** @return where the kernel may be placed (flags bit 3) */
    public Placement placement() {
        return (flags & 8) != 0 ? Placement.ANYWHERE_BELOW_48_BITS : Placement.NEAR_DRAM_START;
    }

    /**
     * @return the bytes from the image's start the kernel owns: {@code image_size}, or the file's length if that
     *         is larger (a signature appended to the file), or for a legacy header the file's length (the kernel
     *         then wants as much free memory after it as possible)
     */
    public long footprint() {
        return Math.max(imageSize, fileSize);
    }

    /**
     * @param ramBase the start of the RAM bank the kernel boots from
     * @return where to copy the Image and jump: the first 2 MiB aligned address at or above {@code ramBase},
     *         plus the effective text offset
     */
    public long loadAddress(long ramBase) {
        return alignUp(ramBase, BASE_ALIGN) + effectiveTextOffset();
    }

    static long alignUp(long value, long align) {
        return Math.addExact(value, align - 1) & -align;
    }
}
