package dev.sel4sim.vmm.x86.boot;

import dev.sel4sim.vmm.boot.BootImageException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultibootLoaderTest {
    /** 4 MiB of guest RAM from 0, as a byte array. */
    final byte[] ram = new byte[4 << 20];
    final BootMemory memory = (address, data) -> {
        if (address < 0 || address + data.length > ram.length) {
            return false;
        }
        System.arraycopy(data, 0, ram, (int) address, data.length);
        return true;
    };

    ByteBuffer ram() {
        return ByteBuffer.wrap(ram).order(ByteOrder.LITTLE_ENDIAN);
    }

    String cString(long address) {
        int end = (int) address;
        while (ram[end] != 0) {
            end++;
        }
        return new String(ram, (int) address, end - (int) address, StandardCharsets.ISO_8859_1);
    }

    MultibootConfig config(List<MultibootModule> modules) {
        return new MultibootConfig("root=/dev/x quiet", 640, 3072, modules, "sel4sim-test");
    }

    /** An a.out-kludge kernel: 0x1800 bytes at 1 MiB with a marker, bss to 0x104000, entry 0x100040. */
    static byte[] kludgeKernel(int flags) {
        byte[] file = MultibootHeaderTest.image(0x1800, 0x20, 0x10000 | flags, 0x100020, 0x100000, 0, 0x104000, 0x100040);
        file[0x40] = (byte) 0xf4;
        file[0x17ff] = 0x5a;
        return file;
    }

    @Test
    void aoutKludgeKernelIsLoadedByItsAddressFieldsAndTheInfoDescribesTheMachine() throws BootImageException {
        ram[0x102000] = 1; // the bss must be cleared
        MultibootBoot boot = MultibootLoader.load(kludgeKernel(3), config(List.of()), memory);
        assertEquals(0x100040, boot.entry());
        assertEquals(0x104000, boot.imageEnd());
        assertEquals((byte) 0xf4, ram[0x100040]);
        assertEquals(0x5a, ram[0x1017ff]);
        assertEquals(0, ram[0x102000]);

        ByteBuffer b = ram();
        int info = (int) boot.infoAddress();
        int flags = b.getInt(info);
        assertEquals(MultibootInfo.FLAG_MEMORY | MultibootInfo.FLAG_CMDLINE | MultibootInfo.FLAG_MMAP
                | MultibootInfo.FLAG_LOADER_NAME, flags, Integer.toHexString(flags));
        assertEquals(640, b.getInt(info + 4));
        assertEquals(3072, b.getInt(info + 8));
        assertEquals("root=/dev/x quiet", cString(b.getInt(info + 16)));
        assertEquals("sel4sim-test", cString(b.getInt(info + 64)));
        int mmapLength = b.getInt(info + 44);
        int mmap = b.getInt(info + 48);
        assertEquals(72, mmapLength);
        // entries: size (20), base, length, type
        assertEquals(20, b.getInt(mmap));
        assertEquals(0, b.getLong(mmap + 4));
        assertEquals(640 * 1024, b.getLong(mmap + 12));
        assertEquals(1, b.getInt(mmap + 20));
        assertEquals(2, b.getInt(mmap + 24 + 20));
        assertEquals(0x100000, b.getLong(mmap + 48 + 4));
        assertEquals(3072L * 1024, b.getLong(mmap + 48 + 12));
        assertEquals(1, b.getInt(mmap + 48 + 20));
    }

    @Test
    void modulesArePageAlignedAfterTheKernelAndListed() throws BootImageException {
        List<MultibootModule> mods = List.of(new MultibootModule(new byte[] {1, 2, 3}, "first arg"),
                new MultibootModule(new byte[5000], "second"));
        MultibootBoot boot = MultibootLoader.load(kludgeKernel(3), config(mods), memory);
        ByteBuffer b = ram();
        int info = (int) boot.infoAddress();
        assertTrue((b.getInt(info) & MultibootInfo.FLAG_MODS) != 0);
        assertEquals(2, b.getInt(info + 20));
        int list = b.getInt(info + 24);
        assertEquals(0x104000, b.getInt(list));
        assertEquals(0x104003, b.getInt(list + 4));
        assertEquals("first arg", cString(b.getInt(list + 8)));
        assertEquals(0x105000, b.getInt(list + 16));
        assertEquals(0x105000 + 5000, b.getInt(list + 20));
        assertEquals("second", cString(b.getInt(list + 24)));
        assertEquals(3, ram[0x104002]);
        assertEquals(0x105000 + 5000, boot.modulesEnd());
    }

    @Test
    void videoRequestIsAnsweredWithTheEgaTextScreen() throws BootImageException {
        MultibootBoot boot = MultibootLoader.load(kludgeKernel(7), config(List.of()), memory);
        ByteBuffer b = ram();
        int info = (int) boot.infoAddress();
        assertTrue((b.getInt(info) & MultibootInfo.FLAG_FRAMEBUFFER) != 0);
        assertEquals(0xb8000, b.getLong(info + 88));
        assertEquals(160, b.getInt(info + 96));
        assertEquals(80, b.getInt(info + 100));
        assertEquals(25, b.getInt(info + 104));
        assertEquals(16, ram[info + 108]);
        assertEquals(2, ram[info + 109]);
    }

    @Test
    void elfKernelIsLoadedByItsProgramHeaders() throws BootImageException {
        // ELF32 i386 executable: one PT_LOAD of 0x10 file bytes, 0x100 in memory, at 0x200000; header in the segment.
        ByteBuffer f = ByteBuffer.allocate(0x200).order(ByteOrder.LITTLE_ENDIAN);
        f.put(0, new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1});
        f.putShort(16, (short) 2);
        f.putShort(18, (short) 3);
        f.putInt(24, 0x200004);
        f.putInt(28, 52);
        f.putShort(42, (short) 32);
        f.putShort(44, (short) 1);
        f.putInt(52, 1);
        f.putInt(56, 0x100);          // offset
        f.putInt(60, 0x200000);       // vaddr
        f.putInt(64, 0x200000);       // paddr
        f.putInt(68, 0x10);           // filesz
        f.putInt(72, 0x100);          // memsz
        f.putInt(0x100, MultibootHeader.MAGIC);
        f.putInt(0x104, 2);
        f.putInt(0x108, -(MultibootHeader.MAGIC + 2));
        ram[0x200080] = 9;
        MultibootBoot boot = MultibootLoader.load(f.array(), config(List.of()), memory);
        assertEquals(0x200004, boot.entry());
        assertEquals(0x200100, boot.imageEnd());
        assertEquals(MultibootHeader.MAGIC, ram().getInt(0x200000));
        assertEquals(0, ram[0x200080], "memsz beyond filesz is zeroed");
    }

    @Test
    void aKernelThatDoesNotFitRamOrLoadsLowIsRefused() {
        byte[] high = MultibootHeaderTest.image(0x1800, 0x20, 0x10003, 0x800020, 0x800000, 0, 0, 0x800040);
        BootImageException e = assertThrows(BootImageException.class, () -> MultibootLoader.load(high, config(List.of()), memory));
        assertTrue(e.getMessage().contains("not in guest RAM"), e.getMessage());
        byte[] low = MultibootHeaderTest.image(0x1800, 0x20, 0x10003, 0x8020, 0x8000, 0, 0, 0x8040);
        e = assertThrows(BootImageException.class, () -> MultibootLoader.load(low, config(List.of()), memory));
        assertTrue(e.getMessage().contains("below 1 MiB"), e.getMessage());
    }
}
