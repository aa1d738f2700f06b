package dev.sel4sim.vmm.x86.boot;

import dev.sel4sim.vmm.boot.BootImageException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The x86 boot protocol loader on a synthetic bzImage: header checks, placement and the zero page. */
class BzImageLoaderTest {
    static final long RAM_TOP = 64L << 20;
    static final List<E820Entry> MAP = List.of(new E820Entry(0, 0x9fc00, E820Entry.RAM),
            new E820Entry(0x9fc00, 0x400, E820Entry.RESERVED), new E820Entry(0x10_0000, RAM_TOP - 0x10_0000, E820Entry.RAM));

    /** Guest memory as a map of writes, refusing anything outside the RAM ranges. */
    static final class Memory implements BootMemory {
        final TreeMap<Long, byte[]> writes = new TreeMap<>();

        @Override
        public boolean write(long address, byte[] data) {
            for (E820Entry e : MAP) {
                if (e.type() == E820Entry.RAM && address >= e.address() && address + data.length <= e.end()) {
                    writes.put(address, data.clone());
                    return true;
                }
            }
            return false;
        }
    }

    /** A bzImage with 2 setup sectors after the boot sector and {@code payload} as the protected-mode part. */
    static byte[] image(int version, byte[] payload) {
        byte[] img = new byte[3 * 512 + payload.length];
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        img[0x1f1] = 2;
        b.putShort(0x1fe, (short) 0xaa55);
        img[0x200] = (byte) 0xeb;
        img[0x201] = 0x6a;
        b.putInt(0x202, LinuxSetupHeader.MAGIC);
        b.putShort(0x206, (short) version);
        img[0x211] = 1;
        b.putInt(0x214, 0x10_0000);
        b.putInt(0x22c, 0x7fff_ffff);
        b.putInt(0x230, 0x100_0000);
        img[0x234] = 1;
        b.putInt(0x238, 0x7ff);
        b.putLong(0x258, 0x100_0000);
        b.putInt(0x260, 0x20_0000);
        System.arraycopy(payload, 0, img, 3 * 512, payload.length);
        return img;
    }

    static int u32(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    @Test
    void loadsTheKernelInitrdCommandLineAndZeroPage() throws Exception {
        byte[] payload = "protected-mode kernel".getBytes(StandardCharsets.US_ASCII);
        byte[] initrd = new byte[10_000];
        Arrays.fill(initrd, (byte) 7);
        Memory mem = new Memory();
        LinuxBoot boot = BzImageLoader.load(image(0x020f, payload), initrd,
                new LinuxBootConfig("console=ttyS0 rdinit=/init", MAP, RAM_TOP), mem);

        assertEquals(0x10_0000, boot.entry());
        assertArrayEquals(payload, mem.writes.get(0x10_0000L));
        // The initrd ends at most at the top of RAM, page aligned.
        assertEquals((RAM_TOP - initrd.length) & ~0xfffL, boot.initrdAddress());
        assertArrayEquals(initrd, mem.writes.get(boot.initrdAddress()));
        assertArrayEquals("console=ttyS0 rdinit=/init\0".getBytes(StandardCharsets.US_ASCII),
                mem.writes.get(LinuxBootConfig.CMDLINE));

        byte[] zp = mem.writes.get(boot.zeroPage());
        assertEquals(4096, zp.length);
        assertEquals(0xff, zp[0x210] & 0xff, "type_of_loader");
        assertEquals(0x81, zp[0x211] & 0xff, "loadflags: LOADED_HIGH as the kernel set it, CAN_USE_HEAP added");
        assertEquals(0xffff, u32(zp, 0x1fa) & 0xffff, "vid_mode");
        assertEquals(0xfe00 - 0x200, u32(zp, 0x224) & 0xffff, "heap_end_ptr");
        assertEquals((int) boot.initrdAddress(), u32(zp, 0x218));
        assertEquals(initrd.length, u32(zp, 0x21c));
        assertEquals((int) LinuxBootConfig.CMDLINE, u32(zp, 0x228));
        assertEquals(LinuxSetupHeader.MAGIC, u32(zp, 0x202), "the image's header is copied");
        assertEquals((RAM_TOP - 0x10_0000) / 1024, u32(zp, 0x1e0), "alt_mem_k");
        assertEquals(3, zp[0x1e8]);
        // Second e820 entry: 0x9fc00, 0x400 bytes, reserved.
        assertEquals(0x9fc00, u32(zp, 0x2d0 + 20));
        assertEquals(0x400, u32(zp, 0x2d0 + 28));
        assertEquals(E820Entry.RESERVED, u32(zp, 0x2d0 + 36));
        assertEquals(0x10_0000, u32(zp, 0x2d0 + 40));
    }

    @Test
    void refusesWhatIsNotABootableBzImage() {
        Memory mem = new Memory();
        LinuxBootConfig cfg = new LinuxBootConfig("x", MAP, RAM_TOP);
        byte[] noFlag = image(0x020f, new byte[16]);
        noFlag[0x1fe] = 0;
        assertTrue(assertThrows(BootImageException.class, () -> BzImageLoader.load(noFlag, null, cfg, mem)).getMessage()
                .contains("0xAA55"));
        byte[] noMagic = image(0x020f, new byte[16]);
        noMagic[0x203] = 'X';
        assertTrue(assertThrows(BootImageException.class, () -> BzImageLoader.load(noMagic, null, cfg, mem)).getMessage()
                .contains("HdrS"));
        assertTrue(assertThrows(BootImageException.class, () -> BzImageLoader.load(image(0x0209, new byte[16]), null, cfg, mem))
                .getMessage().contains("2.10"));
        byte[] truncated = Arrays.copyOf(image(0x020f, new byte[16]), 0x300);
        assertThrows(BootImageException.class, () -> BzImageLoader.load(truncated, null, cfg, mem));
        assertThrows(BootImageException.class, () -> BzImageLoader.load(new byte[100], null, cfg, mem));
        String longLine = "a".repeat(0x800);
        assertTrue(assertThrows(BootImageException.class, () -> BzImageLoader.load(image(0x020f, new byte[16]), null,
                new LinuxBootConfig(longLine, MAP, RAM_TOP), mem)).getMessage().contains("2047"));
        assertTrue(mem.writes.isEmpty(), "nothing is written for a refused image");
    }

    @Test
    void refusesAMemoryMapTooSmallToUnpackTheKernel() {
        List<E820Entry> small = List.of(new E820Entry(0, 0x9fc00, E820Entry.RAM),
                new E820Entry(0x10_0000, 0x100_0000, E820Entry.RAM));
        Memory mem = new Memory();
        BootImageException e = assertThrows(BootImageException.class, () -> BzImageLoader.load(image(0x020f, new byte[16]), null,
                new LinuxBootConfig("x", small, 0x110_0000), mem));
        assertTrue(e.getMessage().contains("init_size"), e.getMessage());
        assertFalse(mem.writes.containsKey(0x10_0000L));
    }
}
