package dev.sel4sim.vmm.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LinuxImageTest {

    static final Path GUESTS = Path.of("/work/main/.cache/guests/arm64");

    /** An Image header laid out as booting.rst gives it, followed by padding up to {@code fileSize}. */
    static byte[] header(long textOffset, long imageSize, long flags, int fileSize) {
        ByteBuffer b = ByteBuffer.allocate(fileSize).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x91005a4d);           // code0 ("MZ" + an add, as EFI-stub kernels have)
        b.putInt(4, 0x14000000);           // code1: b .
        b.putLong(8, textOffset);
        b.putLong(16, imageSize);
        b.putLong(24, flags);
        b.put(56, "ARM\u0064".getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    @Test
    void parsesEveryHeaderField() throws Exception {
        // flags 0b1010: little-endian, page size 1 (4K), physical placement bit set
        LinuxImage image = LinuxImage.parse(header(0x80000, 0x123_4000, 0b1010, 4096));
        assertEquals(0x80000, image.textOffset());
        assertEquals(0x123_4000, image.imageSize());
        assertFalse(image.bigEndian());
        assertEquals(LinuxImage.PageSize.SIZE_4K, image.pageSize());
        assertEquals(LinuxImage.Placement.ANYWHERE_BELOW_48_BITS, image.placement());
        assertFalse(image.legacy());
        assertEquals(0x123_4000, image.footprint());

        assertEquals(LinuxImage.PageSize.SIZE_16K, LinuxImage.parse(header(0, 0x1000, 0b0100, 64)).pageSize());
        assertEquals(LinuxImage.PageSize.SIZE_64K, LinuxImage.parse(header(0, 0x1000, 0b0110, 64)).pageSize());
        assertEquals(LinuxImage.PageSize.UNSPECIFIED, LinuxImage.parse(header(0, 0x1000, 0, 64)).pageSize());
        assertTrue(LinuxImage.parse(header(0, 0x1000, 1, 64)).bigEndian());
        assertEquals(LinuxImage.Placement.NEAR_DRAM_START, LinuxImage.parse(header(0, 0x1000, 0, 64)).placement());
    }

    @Test
    void loadAddressIsTheNext2MiBBoundaryPlusTextOffset() throws Exception {
        LinuxImage image = LinuxImage.parse(header(0x80000, 0x100_0000, 0b1010, 64));
        assertEquals(0x4008_0000L, image.loadAddress(0x4000_0000L));
        assertEquals(0x4028_0000L, image.loadAddress(0x4010_0000L), "0x40100000 rounds up to 0x40200000");
        LinuxImage zeroOffset = LinuxImage.parse(header(0, 0x100_0000, 0b1010, 64));
        assertEquals(0x4000_0000L, zeroOffset.loadAddress(0x4000_0000L));
    }

    @Test
    void legacyHeaderAssumesTextOffset0x80000() throws Exception {
        // before v3.17 image_size is 0 and text_offset may be in the kernel's endianness: ignore it
        LinuxImage legacy = LinuxImage.parse(header(0x0000_0800_0000_0000L, 0, 0, 8192)); // 0x80000 big-endian
        assertTrue(legacy.legacy());
        assertEquals(0x80000, legacy.effectiveTextOffset());
        assertEquals(0x4008_0000L, legacy.loadAddress(0x4000_0000L));
        assertEquals(8192, legacy.footprint(), "the file is all that is known");
    }

    @Test
    void compressedAndForeignFilesAreNamedWithAFix() {
        byte[] gzip = new byte[128];
        gzip[0] = 0x1f;
        gzip[1] = (byte) 0x8b;
        gzip[2] = 8;
        String message = assertThrows(BootImageException.class, () -> LinuxImage.parse(gzip)).getMessage();
        assertTrue(message.contains("gzip-compressed") && message.contains("zcat"), message);

        byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
        assertTrue(assertThrows(BootImageException.class, () -> LinuxImage.parse(zstd)).getMessage()
                .contains("zstd"));

        ByteBuffer zboot = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        zboot.put(0, "MZ\0\0zimg".getBytes(StandardCharsets.ISO_8859_1));
        zboot.putInt(8, 0x1000).putInt(12, 0x4000);
        zboot.put(24, "gzip\0".getBytes(StandardCharsets.ISO_8859_1));
        String z = assertThrows(BootImageException.class, () -> LinuxImage.parse(zboot.array())).getMessage();
        assertTrue(z.contains("EFI zboot") && z.contains("gzip-compressed") && z.contains("4097")
                && z.contains("16384"), z);

        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
        assertTrue(assertThrows(BootImageException.class, () -> LinuxImage.parse(elf)).getMessage()
                .contains("ELF"));

        byte[] junk = new byte[64];
        assertTrue(assertThrows(BootImageException.class, () -> LinuxImage.parse(junk)).getMessage()
                .contains("ARM\\x64"));
        assertTrue(assertThrows(BootImageException.class, () -> LinuxImage.parse(new byte[10])).getMessage()
                .contains("too short"));
    }

    @Test
    void implausibleSizesAreRefused() {
        assertThrows(BootImageException.class, () -> LinuxImage.parse(header(-1, 0x1000, 0, 64)));
        assertThrows(BootImageException.class, () -> LinuxImage.parse(header(0, 1L << 60, 0, 64)));
    }

    @Test
    void debianKernelImage() throws Exception {
        for (String name : new String[] {"Image", "Image-generic"}) {
            Path file = GUESTS.resolve(name);
            assumeTrue(Files.isRegularFile(file), file + " not fetched (scripts/fetch-guests.sh)");
            LinuxImage image = LinuxImage.read(file);
            // Debian 6.1 arm64: TEXT_OFFSET is 0 since v5.8, 4K pages, little-endian, placement anywhere
            assertEquals(0, image.textOffset(), name);
            assertEquals(LinuxImage.PageSize.SIZE_4K, image.pageSize(), name);
            assertFalse(image.bigEndian(), name);
            assertEquals(LinuxImage.Placement.ANYWHERE_BELOW_48_BITS, image.placement(), name);
            assertTrue(image.imageSize() >= Files.size(file), name + ": image_size covers the file and the BSS");
            assertEquals(Files.size(file), image.fileSize());
            assertEquals(0x4000_0000L, image.loadAddress(0x4000_0000L));
        }
    }

    @Test
    void debianCompressedKernelIsExplained() throws Exception {
        Path file = GUESTS.resolve("Image");
        assumeTrue(Files.isRegularFile(file), "Image not fetched");
        byte[] head = Files.readAllBytes(file);
        var out = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(head, 0, 1 << 16);
        }
        String message = assertThrows(BootImageException.class,
                () -> LinuxImage.parse(out.toByteArray())).getMessage();
        assertTrue(message.contains("gzip"), message);
    }
}
