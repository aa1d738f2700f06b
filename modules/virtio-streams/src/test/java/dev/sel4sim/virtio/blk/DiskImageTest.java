package dev.sel4sim.virtio.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskImageTest {
    @TempDir
    Path dir;

    private Path image(byte[] content) throws IOException {
        Path p = dir.resolve("img");
        Files.write(p, content);
        return p;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] read(DiskImage d, long offset, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        d.read(offset, b);
        assertEquals(n, b.position());
        return b.array();
    }

    @Test
    void copyOnWriteAtUnalignedOffsetsAcrossChunksMatchesAPlainArray() throws IOException {
        byte[] base = random(5 * DiskImage.CHUNK + 700, 1);
        Path p = image(base);
        byte[] model = base.clone();
        Random r = new Random(2);
        try (DiskImage d = DiskImage.open(p, DiskImage.Mode.COPY_ON_WRITE)) {
            for (int i = 0; i < 200; i++) {
                int len = r.nextInt(3 * DiskImage.CHUNK);
                int at = r.nextInt(model.length - len + 1);
                byte[] data = random(len, 100 + i);
                d.write(at, ByteBuffer.wrap(data));
                System.arraycopy(data, 0, model, at, len);
                int rl = r.nextInt(model.length);
                int ra = r.nextInt(model.length - rl + 1);
                assertArrayEquals(Arrays.copyOfRange(model, ra, ra + rl), read(d, ra, rl), "read " + rl + " at " + ra);
            }
            assertArrayEquals(model, read(d, 0, model.length));
            assertTrue(d.shadowChunks() > 0 && d.shadowChunks() <= 6, "shadow chunks: " + d.shadowChunks());
        }
        assertArrayEquals(base, Files.readAllBytes(p), "the file is never written");
    }

    @Test
    void rangesOutsideTheImageAndWritesToReadOnlyFail() throws IOException {
        Path p = image(new byte[4096]);
        try (DiskImage d = DiskImage.open(p, DiskImage.Mode.READ_ONLY)) {
            assertTrue(d.readOnly());
            assertThrows(IOException.class, () -> d.write(0, ByteBuffer.allocate(1)));
            assertThrows(IOException.class, () -> d.read(4000, ByteBuffer.allocate(97)));
            assertThrows(IOException.class, () -> d.read(-1, ByteBuffer.allocate(1)));
            assertThrows(IOException.class, () -> d.read(Long.MAX_VALUE, ByteBuffer.allocate(2)));
            assertEquals(96, read(d, 4000, 96).length);
        }
    }

    @Test
    void writeThroughNeedsAFile() {
        assertThrows(IllegalArgumentException.class, () -> DiskImage.of("x", new byte[512], DiskImage.Mode.WRITE_THROUGH));
    }

    @Test
    void writeThroughWritesTheFile() throws IOException {
        Path p = image(new byte[8192]);
        try (DiskImage d = DiskImage.open(p, DiskImage.Mode.WRITE_THROUGH)) {
            d.write(4090, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
            d.flush();
            assertEquals(0, d.shadowChunks());
        }
        byte[] f = Files.readAllBytes(p);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, Arrays.copyOfRange(f, 4090, 4098));
    }
}
