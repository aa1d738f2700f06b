package dev.sel4sim.vmm.x86.boot;

import dev.sel4sim.vmm.boot.BootImageException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultibootHeaderTest {

    /** A file of {@code size} bytes with a header at {@code at}; with flag 16 the address fields follow. */
    static byte[] image(int size, int at, int flags, long... addresses) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(at, MultibootHeader.MAGIC);
        b.putInt(at + 4, flags);
        b.putInt(at + 8, -(MultibootHeader.MAGIC + flags));
        for (int i = 0; i < addresses.length; i++) {
            b.putInt(at + 12 + 4 * i, (int) addresses[i]);
        }
        return b.array();
    }

    @Test
    void findsTheHeaderAtAnAlignedOffsetWithinTheFirst8KiB() throws BootImageException {
        MultibootHeader h = MultibootHeader.find(image(12000, 8180, 3));
        assertEquals(8180, h.fileOffset());
        assertEquals(3, h.flags());
        assertFalse(h.aoutKludge());
        assertFalse(h.wantsVideoInfo());
    }

    @Test
    void aHeaderBeyond8KiBOrUnalignedIsNotFound() {
        BootImageException e = assertThrows(BootImageException.class, () -> MultibootHeader.find(image(12000, 8192, 3)));
        assertTrue(e.getMessage().contains("no Multiboot header"), e.getMessage());
        assertThrows(BootImageException.class, () -> MultibootHeader.find(image(4096, 102, 3)));
    }

    @Test
    void aWrongChecksumIsNamed() {
        byte[] file = image(4096, 64, 3);
        file[72] ^= 1;
        BootImageException e = assertThrows(BootImageException.class, () -> MultibootHeader.find(file));
        assertTrue(e.getMessage().contains("checksum") && e.getMessage().contains("0x40"), e.getMessage());
    }

    @Test
    void unknownRequirementsAreRefusedButUnknownOptionalBitsAreNot() throws BootImageException {
        BootImageException e = assertThrows(BootImageException.class, () -> MultibootHeader.find(image(4096, 0, 1 | 1 << 5)));
        assertTrue(e.getMessage().contains("0x0020"), e.getMessage());
        assertEquals(1 | 1 << 20, MultibootHeader.find(image(4096, 0, 1 | 1 << 20)).flags());
    }

    @Test
    void addressFieldsOfTheAoutKludge() throws BootImageException {
        // Header at file offset 0x20 loaded at 0x100020: the load starts at the file's first byte.
        MultibootHeader h = MultibootHeader.find(image(0x2000, 0x20, 0x10003, 0x100020, 0x100000, 0x101800, 0x104000, 0x100040));
        assertTrue(h.aoutKludge());
        assertEquals(0x100000, h.loadAddr());
        assertEquals(0x101800, h.loadEndAddr());
        assertEquals(0x104000, h.bssEndAddr());
        assertEquals(0x100040, h.entryAddr());
        assertEquals(0, h.loadFileOffset());
    }

    @Test
    void inconsistentAddressFieldsAreRefused() {
        // load_addr before the file's start
        assertThrows(BootImageException.class,
                () -> MultibootHeader.find(image(0x2000, 0x20, 0x10003, 0x100020, 0xff000, 0, 0, 0x100040)));
        // load_end beyond the file
        assertThrows(BootImageException.class,
                () -> MultibootHeader.find(image(0x2000, 0x20, 0x10003, 0x100020, 0x100000, 0x109000, 0, 0x100040)));
        // bss_end below load_end
        assertThrows(BootImageException.class,
                () -> MultibootHeader.find(image(0x2000, 0x20, 0x10003, 0x100020, 0x100000, 0x101000, 0x100800, 0x100040)));
        // entry outside the image
        BootImageException e = assertThrows(BootImageException.class,
                () -> MultibootHeader.find(image(0x2000, 0x20, 0x10003, 0x100020, 0x100000, 0, 0, 0x200000)));
        assertTrue(e.getMessage().contains("entry_addr"), e.getMessage());
        // address fields cut off by the end of the file
        assertThrows(BootImageException.class, () -> MultibootHeader.find(image(0x30, 0x20, 0x10003)));
    }
}
