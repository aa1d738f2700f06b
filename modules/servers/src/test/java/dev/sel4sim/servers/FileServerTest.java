package dev.sel4sim.servers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileServerTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void servesImagesByNameWithSizeAndRanges() {
        FileServer fs = FileServer.of(Map.of("initrd", b("0123456789"), "dtb", b("ab")));
        assertEquals(List.of("dtb", "initrd"), List.copyOf(fs.names()));
        assertTrue(fs.has("dtb"));
        assertFalse(fs.has("kernel"));
        assertEquals(10, fs.size("initrd"));
        assertArrayEquals(b("345"), fs.read("initrd", 3, 3));
        assertArrayEquals(b("89"), fs.read("initrd", 8, 2));
        assertArrayEquals(new byte[0], fs.read("initrd", 10, 0), "an empty read at the end is allowed");
        assertArrayEquals(b("ab"), fs.read("dtb", 0, 2));
    }

    @Test
    void imagesCannotBeChangedFromOutside() {
        byte[] src = b("abc");
        FileServer fs = FileServer.of(Map.of("x", src));
        src[0] = 'z';
        byte[] got = fs.read("x", 0, 3);
        got[1] = 'z';
        assertArrayEquals(b("abc"), fs.read("x", 0, 3));
    }

    @Test
    void unknownNameListsTheNamesItHas() {
        FileServer fs = FileServer.of(Map.of("kernel", b("k"), "initrd", b("i")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fs.read("kernal", 0, 1));
        assertEquals("file server has no image 'kernal'; it has [initrd, kernel]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fs.size("nope"));
    }

    @Test
    void readsOutsideTheImageFail() {
        FileServer fs = FileServer.of(Map.of("img", b("0123456789")));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> fs.read("img", 8, 3));
        assertEquals("read of 3 bytes at offset 8 is outside image 'img' of 10 bytes", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> fs.read("img", -1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> fs.read("img", 11, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> fs.read("img", 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> fs.read("img", Long.MAX_VALUE, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> fs.read("img", 5, Integer.MAX_VALUE));
    }

    @Test
    void loadsFilesAndNamesTheOneItCannotRead(@TempDir Path dir) throws Exception {
        Path kernel = Files.write(dir.resolve("Image"), b("kernel bytes"));
        FileServer fs = FileServer.load(Map.of("kernel", kernel));
        assertEquals(12, fs.size("kernel"));
        assertArrayEquals(b("bytes"), fs.read("kernel", 7, 5));

        Path missing = dir.resolve("rootfs.cpio");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FileServer.load(Map.of("initrd", missing)));
        assertEquals("file server image 'initrd': no file " + missing, e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FileServer.load(Map.of("dtb", dir)));
        assertTrue(e.getMessage().contains("'dtb'") && e.getMessage().contains("is a directory"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FileServer.of(Map.of(" ", b("x"))));
    }
}
