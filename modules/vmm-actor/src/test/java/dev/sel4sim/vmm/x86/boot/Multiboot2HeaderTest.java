package dev.sel4sim.vmm.x86.boot;

import dev.sel4sim.vmm.boot.BootImageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Multiboot2HeaderTest {
    static final int REQUIRED = 0;
    static final int OPTIONAL = Multiboot2Header.TAG_OPTIONAL;

    static Multiboot2HeaderBytes header() {
        return new Multiboot2HeaderBytes();
    }

    /** A 4 KiB file with {@code h} at offset 0x40. */
    static byte[] file(Multiboot2HeaderBytes h) {
        return h.inFile(4096, 0x40);
    }

    /** A file, and either null (accepted) or a part of the refusal's message. */
    static Stream<Arguments> headers() {
        return Stream.of(
                Arguments.of("only an end tag", file(header()), null),
                Arguments.of("ending exactly at 32 KiB", header().inFile(40000, 32768 - 24), null),
                Arguments.of("bad checksum", file(header().checksumOffBy(1)), "checksum"),
                Arguments.of("MIPS", file(header().architecture(4)), "architecture 4 (32-bit MIPS)"),
                Arguments.of("unknown architecture", file(header().architecture(7)), "architecture 7"),
                Arguments.of("unknown required tag", file(header().tag(42, REQUIRED, 1)), "tag type 42"),
                Arguments.of("unknown optional tag", file(header().tag(42, OPTIONAL, 1)), null),
                Arguments.of("known information requests", file(header().tag(1, REQUIRED, 1, 3, 4, 6, 8, 14, 21)), null),
                Arguments.of("unknown required information", file(header().tag(1, REQUIRED, 1, 99)), "asks for tag type 99"),
                Arguments.of("unknown optional information", file(header().tag(1, OPTIONAL, 1, 99)), null),
                Arguments.of("framebuffer, module alignment, relocatable",
                        file(header().tag(5, REQUIRED, 1024, 768, 32).tag(6, REQUIRED).tag(10, REQUIRED, 0x100000, 0x1000000, 4096, 0)),
                        null),
                Arguments.of("EGA text console required", file(header().tag(4, REQUIRED, 3)), null),
                Arguments.of("a console without EGA text required", file(header().tag(4, REQUIRED, 1)), "console"),
                Arguments.of("that console flags tag optional", file(header().tag(4, OPTIONAL, 1)), null),
                Arguments.of("EFI boot services required", file(header().tag(7, REQUIRED)), "EFI"),
                Arguments.of("EFI i386 entry required", file(header().tag(8, REQUIRED, 0x100000)), "EFI i386"),
                Arguments.of("EFI amd64 entry required", file(header().tag(9, REQUIRED, 0x100000)), "EFI amd64"),
                Arguments.of("EFI tags optional", file(header().tag(7, OPTIONAL).tag(9, OPTIONAL, 0x100000)), null),
                Arguments.of("address tag without entry", file(header().address(0x100040, 0x100000, 0, 0)), "no entry address tag"),
                Arguments.of("address tag cut short", file(header().tag(2, REQUIRED, 0x100040, 0x100000).entry(0x100100)),
                        "less than its fields"),
                Arguments.of("beyond 32 KiB", header().inFile(40000, 32768), "no Multiboot 2 header"),
                Arguments.of("crossing 32 KiB", header().inFile(40000, 32768 - 16), "end within the file's first 32768 bytes"),
                Arguments.of("4-byte but not 8-byte aligned", header().inFile(4096, 0x44), "no Multiboot 2 header"),
                Arguments.of("no header at all", new byte[4096], "no Multiboot 2 header"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void headerIsAcceptedOrRefusedWithItsReason(String name, byte[] file, String refusal) throws BootImageException {
        if (refusal == null) {
            Multiboot2Header h = Multiboot2Header.find(file);
            assertTrue(h.length() >= 24, name);
        } else {
            BootImageException e = assertThrows(BootImageException.class, () -> Multiboot2Header.find(file), name);
            assertTrue(e.getMessage().contains(refusal), name + ": " + e.getMessage());
        }
    }

    @Test
    void fieldsOfTheTagsItKnows() throws BootImageException {
        // Header at file offset 0x40, loaded at 0x100040: the load starts at the file's first byte.
        byte[] file = header().tag(1, OPTIONAL, 6, 4).address(0x100040, 0x100000, 0x100800, 0x102000).entry(0x100100)
                .tag(4, REQUIRED, 2).inFile(0x1000, 0x40);
        Multiboot2Header h = Multiboot2Header.find(file);
        assertEquals(0x40, h.fileOffset());
        assertEquals(16 + 16 + 24 + 16 + 16 + 8, h.length());
        assertEquals(List.of(6, 4), h.requests());
        assertEquals(2, h.consoleFlags());
        assertEquals(0x100100, h.entry().getAsLong());
        Multiboot2Address a = h.address().orElseThrow();
        assertEquals(0, a.fileStart());
        assertEquals(0x100000, a.loadAddr());
        assertEquals(0x100800, a.loadEnd());
        assertEquals(0x102000, a.imageEnd());
    }

    @Test
    void addressFieldsLoadAddrMinusOneAndZeroEnds() throws BootImageException {
        // load_addr -1: from the file's first byte; load_end_addr 0: the whole file; bss_end_addr 0: no bss.
        Multiboot2Address a = Multiboot2Header.find(header().address(0x200040, 0xffff_ffffL, 0, 0).entry(0x200100)
                .inFile(0x1000, 0x40)).address().orElseThrow();
        assertEquals(0, a.fileStart());
        assertEquals(0x200000, a.loadAddr());
        assertEquals(0x201000, a.loadEnd());
        assertEquals(0x201000, a.imageEnd());
        // A load starting after the file's first bytes (an ELF header to skip, say).
        a = Multiboot2Header.find(header().address(0x100000, 0x100000, 0, 0).entry(0x100000).inFile(0x1000, 0x40))
                .address().orElseThrow();
        assertEquals(0x40, a.fileStart());
        assertEquals(0x100000 + 0x1000 - 0x40, a.loadEnd());
    }

    @Test
    void inconsistentAddressFieldsAreRefused() {
        // load_addr before the file's start
        assertRefused(header().address(0x100040, 0xff000, 0, 0).entry(0x100100), "before the file");
        // load_end beyond the file
        assertRefused(header().address(0x100040, 0x100000, 0x109000, 0).entry(0x100100), "load_end_addr");
        // bss_end below load_end
        assertRefused(header().address(0x100040, 0x100000, 0x100800, 0x100400).entry(0x100100), "bss_end_addr");
        // header_addr below load_addr
        assertRefused(header().address(0x100040, 0x100080, 0, 0).entry(0x100100), "header_addr");
    }

    static void assertRefused(Multiboot2HeaderBytes h, String part) {
        BootImageException e = assertThrows(BootImageException.class, () -> Multiboot2Header.find(h.inFile(0x1000, 0x40)));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void aTagRunningPastTheHeaderIsRefused() {
        byte[] file = file(header().tag(42, OPTIONAL, 1));
        // the optional tag's size (at header + 16 + 4) now claims more than the header holds
        file[0x40 + 20] = (byte) 200;
        BootImageException e = assertThrows(BootImageException.class, () -> Multiboot2Header.find(file));
        assertTrue(e.getMessage().contains("does not fit the header"), e.getMessage());
    }
}
