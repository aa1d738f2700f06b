package dev.sel4sim.vmm.x86.boot;

import dev.sel4sim.vmm.boot.BootImageException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Multiboot2LoaderTest {
    /** 4 MiB of guest RAM from 0, as a byte array. */
    final byte[] ram = new byte[4 << 20];
    final BootMemory memory = (address, data) -> {
        if (address < 0 || address + data.length > ram.length) {
            return false;
        }
        System.arraycopy(data, 0, ram, (int) address, data.length);
        return true;
    };

    MultibootConfig config(List<MultibootModule> modules) {
        return new MultibootConfig("console=vga", 640, 3072, modules, "sel4sim-test");
    }

    /** A flat kernel: 0x1800 bytes at 1 MiB (header at 0x40) with a marker at the end, bss to 0x104000, entry 0x100100. */
    static byte[] flatKernel() {
        byte[] file = new Multiboot2HeaderBytes().address(0x100040, 0x100000, 0, 0x104000).entry(0x100100).inFile(0x1800, 0x40);
        file[0x100] = (byte) 0xf4;
        file[0x17ff] = 0x5a;
        return file;
    }

    /** An i386 ELF executable with one PT_LOAD (0x200 file bytes, 0x1000 in memory) at physical 0x200000, entry 0x200010. */
    static byte[] elfKernel(Multiboot2HeaderBytes header) {
        ByteBuffer f = ByteBuffer.allocate(0x400).order(ByteOrder.LITTLE_ENDIAN);
        f.put(0, new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1});
        f.putShort(16, (short) 2);
        f.putShort(18, (short) 3);
        f.putInt(24, 0xc0200010);     // e_entry: virtual, in the segment
        f.putInt(28, 52);
        f.putShort(42, (short) 32);
        f.putShort(44, (short) 1);
        f.putInt(52, 1);
        f.putInt(56, 0x200);          // offset
        f.putInt(60, 0xc0200000);     // vaddr
        f.putInt(64, 0x200000);       // paddr
        f.putInt(68, 0x200);          // filesz
        f.putInt(72, 0x1000);         // memsz
        f.put(0x200, header.bytes());
        return f.array();
    }

    @Test
    void flatKernelIsLoadedByItsAddressTagAndEnteredAtItsEntryTag() throws BootImageException {
        ram[0x102000] = 1; // the bss must be cleared
        Multiboot2Boot boot = Multiboot2Loader.load(flatKernel(), config(List.of()), memory);
        assertEquals(0x100100, boot.entry());
        assertEquals(0x104000, boot.imageEnd());
        assertEquals((byte) 0xf4, ram[0x100100]);
        assertEquals(0x5a, ram[0x1017ff]);
        assertEquals(0, ram[0x102000]);
        assertEquals(MultibootLoader.INFO_ADDRESS, boot.infoAddress());
        assertEquals(0, boot.infoAddress() % 8, "the information is 8-byte aligned");
        int size = ByteBuffer.wrap(ram).order(ByteOrder.LITTLE_ENDIAN).getInt((int) boot.infoAddress());
        List<Multiboot2InfoTest.Tag> tags = Multiboot2InfoTest.parse(
                Arrays.copyOfRange(ram, (int) boot.infoAddress(), (int) boot.infoAddress() + size));
        assertEquals("console=vga", Multiboot2InfoTest.only(tags, Multiboot2Info.TAG_CMDLINE).string(0));
        assertEquals(3072, Multiboot2InfoTest.only(tags, Multiboot2Info.TAG_BASIC_MEMINFO).fields().getInt(4));
    }

    @Test
    void modulesArePageAlignedAfterTheBssAndEachHasATag() throws BootImageException {
        List<MultibootModule> mods = List.of(new MultibootModule(new byte[] {1, 2, 3}, "first arg"),
                new MultibootModule(new byte[5000], "second"));
        Multiboot2Boot boot = Multiboot2Loader.load(flatKernel(), config(mods), memory);
        assertEquals(3, ram[0x104002]);
        assertEquals(0x105000 + 5000, boot.modulesEnd());
        int size = ByteBuffer.wrap(ram).order(ByteOrder.LITTLE_ENDIAN).getInt((int) boot.infoAddress());
        List<Multiboot2InfoTest.Tag> m = Multiboot2InfoTest.parse(
                Arrays.copyOfRange(ram, (int) boot.infoAddress(), (int) boot.infoAddress() + size)).stream()
                .filter(t -> t.type() == Multiboot2Info.TAG_MODULE).toList();
        assertEquals(2, m.size());
        assertEquals(0x104000, m.get(0).fields().getInt(0));
        assertEquals(0x104003, m.get(0).fields().getInt(4));
        assertEquals("first arg", m.get(0).string(8));
        assertEquals(0x105000, m.get(1).fields().getInt(0));
        assertEquals("second", m.get(1).string(8));
    }

    @Test
    void elfKernelIsLoadedByItsProgramHeaders() throws BootImageException {
        ram[0x200800] = 9;
        Multiboot2Boot boot = Multiboot2Loader.load(elfKernel(new Multiboot2HeaderBytes()), config(List.of()), memory);
        assertEquals(0x200010, boot.entry(), "the ELF entry, made physical");
        assertEquals(0x201000, boot.imageEnd());
        assertEquals(Multiboot2Header.MAGIC, ByteBuffer.wrap(ram).order(ByteOrder.LITTLE_ENDIAN).getInt(0x200000));
        assertEquals(0, ram[0x200800], "memsz beyond filesz is zeroed");
    }

    @Test
    void anEntryTagOverridesTheElfEntry() throws BootImageException {
        Multiboot2Boot boot = Multiboot2Loader.load(elfKernel(new Multiboot2HeaderBytes().entry(0x200020)), config(List.of()), memory);
        assertEquals(0x200020, boot.entry());
    }

    @Test
    void refusals() {
        // no address tag and not ELF
        byte[] flat = new Multiboot2HeaderBytes().inFile(0x1000, 0);
        BootImageException e = assertThrows(BootImageException.class, () -> Multiboot2Loader.load(flat, config(List.of()), memory));
        assertTrue(e.getMessage().contains("not an ELF file") && e.getMessage().contains("address tag"), e.getMessage());
        // the entry outside what is loaded
        byte[] away = new Multiboot2HeaderBytes().address(0x100040, 0x100000, 0, 0).entry(0x180000).inFile(0x1000, 0x40);
        e = assertThrows(BootImageException.class, () -> Multiboot2Loader.load(away, config(List.of()), memory));
        assertTrue(e.getMessage().contains("entry address 0x180000"), e.getMessage());
        // below 1 MiB
        byte[] low = new Multiboot2HeaderBytes().address(0x8040, 0x8000, 0, 0).entry(0x8100).inFile(0x1000, 0x40);
        e = assertThrows(BootImageException.class, () -> Multiboot2Loader.load(low, config(List.of()), memory));
        assertTrue(e.getMessage().contains("below 1 MiB"), e.getMessage());
        // beyond RAM
        byte[] high = new Multiboot2HeaderBytes().address(0x800040, 0x800000, 0, 0).entry(0x800100).inFile(0x1000, 0x40);
        e = assertThrows(BootImageException.class, () -> Multiboot2Loader.load(high, config(List.of()), memory));
        assertTrue(e.getMessage().contains("not in guest RAM"), e.getMessage());
        // modules beyond upper memory
        List<MultibootModule> big = List.of(new MultibootModule(new byte[3 << 20], "big"));
        e = assertThrows(BootImageException.class, () -> Multiboot2Loader.load(flatKernel(), config(big), memory));
        assertTrue(e.getMessage().contains("beyond upper memory") || e.getMessage().contains("not in guest RAM"), e.getMessage());
    }
}
