package dev.sel4sim.vmm.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ElfImageTest {

    static final long TEXT_VADDR = 0xffff_8000_0808_0000L;
    static final long TEXT_PADDR = 0x4008_0000L;
    static final long DATA_PADDR = 0x4010_0000L;

    /** One program header as the ELF-64 specification lays it out (56 bytes). */
    record Phdr(int type, int flags, long offset, long vaddr, long paddr, long filesz, long memsz, long align) {
    }

    /** An ELF-64 file: 64-byte header, program headers at 64, then segment bytes. */
    static byte[] elf(int type, int machine, long entry, Phdr... phdrs) {
        ByteBuffer b = ByteBuffer.allocate(0x400).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.putShort(16, (short) type).putShort(18, (short) machine).putInt(20, 1);
        b.putLong(24, entry).putLong(32, 64).putLong(40, 0).putInt(48, 0);
        b.putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) phdrs.length);
        b.putShort(58, (short) 64).putShort(60, (short) 0).putShort(62, (short) 0);
        for (int i = 0; i < phdrs.length; i++) {
            Phdr p = phdrs[i];
            int at = 64 + i * 56;
            b.putInt(at, p.type).putInt(at + 4, p.flags).putLong(at + 8, p.offset).putLong(at + 16, p.vaddr)
                    .putLong(at + 24, p.paddr).putLong(at + 32, p.filesz).putLong(at + 40, p.memsz)
                    .putLong(at + 48, p.align);
        }
        return b.array();
    }

    static Phdr text() {
        return new Phdr(1, 5, 0x200, TEXT_VADDR, TEXT_PADDR, 0x100, 0x100, 0x1000);
    }

    static Phdr data() {
        return new Phdr(1, 6, 0x300, TEXT_VADDR + 0x8_0000, DATA_PADDR, 0x10, 0x1000, 0x1000);
    }

    static Phdr note() {
        return new Phdr(4, 4, 0x310, 0, 0, 0x10, 0x10, 4);
    }

    static byte[] good() {
        return elf(2, 183, TEXT_VADDR + 0x40, text(), note(), data());
    }

    @Test
    void readsEntryAndLoadableSegments() throws Exception {
        ElfImage image = ElfImage.parse(good());
        assertEquals(TEXT_VADDR + 0x40, image.entry());
        assertEquals(TEXT_PADDR + 0x40, image.entryPhysical(), "entry translated through its segment");
        assertEquals(2, image.segments().size(), "PT_NOTE is not loaded");
        ElfSegment t = image.segments().get(0);
        assertEquals(0x200, t.fileOffset());
        assertEquals(TEXT_PADDR, t.physicalAddress());
        assertEquals(TEXT_VADDR, t.virtualAddress());
        assertTrue(t.executable());
        ElfSegment d = image.segments().get(1);
        assertEquals(0x10, d.fileSize());
        assertEquals(0x1000, d.memorySize());
        assertFalse(d.executable());
        assertEquals(TEXT_PADDR, image.physicalStart());
        assertEquals(DATA_PADDR + 0x1000, image.physicalEnd());
    }

    @Test
    void wrongKindsOfFileAreNamed() {
        assertMessage(elf(2, 62, TEXT_VADDR, text()), "x86-64");
        assertMessage(elf(3, 183, TEXT_VADDR, text()), "ET_DYN");
        assertMessage(elf(1, 183, TEXT_VADDR, text()), "ET_REL");
        byte[] elf32 = good();
        elf32[4] = 1;
        assertMessage(elf32, "64-bit");
        byte[] bigEndian = good();
        bigEndian[5] = 2;
        assertMessage(bigEndian, "little-endian");
        assertMessage(new byte[] {0x1f, (byte) 0x8b, 8, 0}, "gzip");
        assertMessage(new byte[] {1, 2, 3, 4, 5}, "not an ELF");
        assertMessage(java.util.Arrays.copyOf(good(), 40), "64-byte header");
    }

    @Test
    void badSegmentsAreNamed() {
        assertMessage(elf(2, 183, TEXT_VADDR, new Phdr(1, 5, 0x3f0, TEXT_VADDR, TEXT_PADDR, 0x100, 0x100, 0)),
                "outside the file");
        assertMessage(elf(2, 183, TEXT_VADDR, new Phdr(1, 5, 0x200, TEXT_VADDR, TEXT_PADDR, 0x100, 0x80, 0)),
                "exceeds p_memsz");
        assertMessage(elf(2, 183, TEXT_VADDR, text(),
                new Phdr(1, 6, 0x300, TEXT_VADDR + 0x1000, TEXT_PADDR + 0x80, 0x10, 0x10, 0)), "overlap");
        assertMessage(elf(2, 183, 0x1234, text()), "entry point");
        assertMessage(elf(2, 183, TEXT_VADDR, note()), "no PT_LOAD");
        assertMessage(elf(2, 183, TEXT_VADDR, new Phdr(1, 5, 0x200, -0x10, TEXT_PADDR, 0x10, 0x100, 0)), "wraps");
        assertMessage(elf(2, 183, TEXT_VADDR, new Phdr(1, 5, 0x200, TEXT_VADDR, TEXT_PADDR, 0x10, 0x10, 3)),
                "power of two");
        byte[] table = good();
        ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN).putLong(32, 0x3f0);
        assertMessage(table, "program header table");
    }

    @Test
    void corruptedFilesOnlyGiveBootImageException() {
        Random random = new Random(7);
        byte[] good = good();
        for (int i = 0; i < 5000; i++) {
            byte[] bad = good.clone();
            for (int f = 0; f < 1 + random.nextInt(3); f++) {
                int at = random.nextInt(64 + 3 * 56);
                bad[at] = (byte) random.nextInt(256);
            }
            try {
                ElfImage image = ElfImage.parse(bad);
                image.entryPhysical();
            } catch (BootImageException expected) {
                assertFalse(expected.getMessage().isBlank());
            } catch (RuntimeException e) {
                fail("corruption " + i + ": " + e, e);
            }
        }
    }

    private static void assertMessage(byte[] file, String fragment) {
        String message = assertThrows(BootImageException.class, () -> ElfImage.parse(file)).getMessage();
        assertTrue(message.contains(fragment), message);
    }
}
