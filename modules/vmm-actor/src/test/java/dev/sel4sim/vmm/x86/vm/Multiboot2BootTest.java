package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.boot.BootImageException;
import dev.sel4sim.vmm.boot.ImageSource;
import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.run.StepResult;
import dev.sel4sim.vmm.run.VmClock;
import dev.sel4sim.vmm.x86.boot.Multiboot2Boot;
import dev.sel4sim.vmm.x86.boot.Multiboot2Header;
import dev.sel4sim.vmm.x86.boot.Multiboot2HeaderBytes;
import dev.sel4sim.vmm.x86.boot.MultibootModule;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86Library;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Multiboot 2 guest on the machine: it keeps EAX and EBX as it was entered with them, walks the
 * boot information's tags and copies what it found, then stops with interrupts off.
 */
@Timeout(60)
class Multiboot2BootTest {
    static final long RAM = 32L << 20;
    static final int MAGIC = GuestCode.RESULTS;
    static final int INFO = GuestCode.RESULTS + 4;
    static final int TOTAL_SIZE = GuestCode.RESULTS + 8;
    static final int FIRST_TYPE = GuestCode.RESULTS + 12;
    static final int TAGS = GuestCode.RESULTS + 16;
    static final int MEM_LOWER = GuestCode.RESULTS + 20;
    static final int MEM_UPPER = GuestCode.RESULTS + 24;
    static final int CMDLINE = GuestCode.RESULTS + 28;

    /** The guest: registers first, then the fixed part, then a loop over the tags up to the end tag. */
    static GuestCode guest() {
        GuestCode g = new GuestCode().storeEax(MAGIC).storeEbx(INFO)
                .b(0x8b, 0x03).storeEax(TOTAL_SIZE)             // mov eax, [ebx]: total_size
                .b(0x8b, 0x43, 0x08).storeEax(FIRST_TYPE)       // mov eax, [ebx+8]: the first tag's type
                .b(0x89, 0xde)                                  // mov esi, ebx
                .b(0x83, 0xc6, 0x08);                           // add esi, 8: the first tag
        int loop = g.here();
        g.b(0x8b, 0x06)                                         // mov eax, [esi]: type
                .b(0x85, 0xc0)                                  // test eax, eax
                .b(0x74, 53)                                    // jz done (the 53 bytes up to it below)
                .inc32(TAGS)                                    // 6
                .b(0x83, 0x3e, 0x04)                            // 3: cmp dword [esi], 4 (basic memory)
                .b(0x75, 16)                                    // 2: jne past the copies
                .b(0x8b, 0x46, 0x08).storeEax(MEM_LOWER)        // 8
                .b(0x8b, 0x46, 0x0c).storeEax(MEM_UPPER)        // 8
                .b(0x83, 0x3e, 0x01)                            // 3: cmp dword [esi], 1 (command line)
                .b(0x75, 8)                                     // 2
                .b(0x8b, 0x46, 0x08).storeEax(CMDLINE)          // 8: its first four characters
                .b(0x8b, 0x46, 0x04)                            // 3: mov eax, [esi+4]: size
                .b(0x83, 0xc0, 0x07)                            // 3: add eax, 7
                .b(0x83, 0xe0, 0xf8)                            // 3: and eax, -8
                .b(0x01, 0xc6);                                 // 2: add esi, eax
        int jmpEnd = g.here() + 2;
        g.b(0xeb, (loop - jmpEnd) & 0xff);                      // 2: jmp loop
        if (jmpEnd - (loop + 6) != 53) {
            throw new IllegalStateException("jz done is off: the loop's body is " + (jmpEnd - (loop + 6)) + " bytes");
        }
        return g.b(0xfa, 0xf4);                                 // done: cli; hlt
    }

    static int word(X86Machine m, long address) {
        return ByteBuffer.wrap(m.cpu().readLinear(address, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    static String chars(int word) {
        return new String(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(word).array(), StandardCharsets.US_ASCII);
    }

    /** What the guest saw, checked against the machine it ran on and the command line it was given. */
    static void assertGuestSawTheInformation(X86Machine m, String cmdline, int modules) {
        assertEquals(Multiboot2Header.BOOTLOADER_MAGIC, word(m, MAGIC), "EAX at entry");
        assertEquals(0x9000, word(m, INFO), "EBX at entry");
        assertEquals(0, word(m, INFO) % 8);
        assertEquals(1, word(m, FIRST_TYPE), "the command line tag first");
        // command line, loader name, modules, basic memory, memory map, framebuffer
        assertEquals(5 + modules, word(m, TAGS), "tags before the end tag");
        assertEquals(640, word(m, MEM_LOWER));
        assertEquals(m.config().upperKiB(), Integer.toUnsignedLong(word(m, MEM_UPPER)));
        assertEquals((RAM - 0x100000) / 1024, m.config().upperKiB());
        assertEquals(cmdline.substring(0, 4), chars(word(m, CMDLINE)));
        int total = word(m, TOTAL_SIZE);
        assertTrue(total > 8 && total % 8 == 0, "total_size " + total);
    }

    @Test
    void guestIsEnteredWithTheMagicAndReadsTheInformation() throws Exception {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        try (X86Machine m = new X86Machine(UnicornX86Library.locate(), new X86MachineConfig(RAM, 1))) {
            Multiboot2Boot boot = m.bootMultiboot2(guest().multiboot2Image(), "mb2-guest answer=42",
                    List.of(new MultibootModule("payload".getBytes(StandardCharsets.US_ASCII), "payload.bin")));
            assertEquals(GuestCode.CODE, boot.entry());
            X86RunResult r = m.run(100_000);
            assertEquals(X86RunResult.Outcome.HALTED, r.outcome(), r + " " + m.deviceNotes());
            assertGuestSawTheInformation(m, "mb2-guest answer=42", 1);
        }
    }

    @Test
    void systemFileKernelPathBootsThroughTheBuilder(@TempDir Path dir) throws Exception {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        Path kernel = dir.resolve("mb2-guest.elf");
        Files.write(kernel, guest().multiboot2Image());
        Path module = dir.resolve("module.bin");
        Files.write(module, new byte[] {1, 2, 3});
        assertEquals(X86VmBuilder.ImageKind.MULTIBOOT2, X86VmBuilder.kindOf(Files.readAllBytes(kernel), kernel.toString()));
        X86VmSpec spec = new X86VmSpec("mb2", new X86MachineConfig(RAM, 1), VmClock.DETERMINISTIC, 1_000,
                ImageSource.file(kernel), Optional.of(ImageSource.file(module)), "from-the-spec");
        try (X86Vm vm = X86VmBuilder.build(spec, UnicornX86Library.locate(), b -> { })) {
            StepResult last = null;
            for (int i = 0; i < 100; i++) {
                last = vm.step();
                if (!(last instanceof StepResult.Ran)) {
                    break;
                }
            }
            StepResult.Stopped stopped = assertInstanceOf(StepResult.Stopped.class, last);
            assertTrue(stopped.why().describe().contains("interrupts off"), stopped.why().describe());
            assertGuestSawTheInformation(vm.machine(), "from-the-spec", 1);
        }
    }

    @Test
    void aBootFailureNamesTheFileAndTheProtocol(@TempDir Path dir) throws Exception {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        Path kernel = dir.resolve("too-big.elf");
        // bss up to 64 MiB, in a 32 MiB machine
        byte[] image = new Multiboot2HeaderBytes().address(GuestCode.BASE + 0x40, GuestCode.BASE, 0, 64L << 20)
                .entry(GuestCode.CODE).inFile(0x1000, 0x40);
        Files.write(kernel, image);
        X86VmSpec spec = new X86VmSpec("mb2", new X86MachineConfig(RAM, 1), VmClock.DETERMINISTIC, 1_000,
                ImageSource.file(kernel), Optional.empty(), "");
        BootImageException e = assertThrows(BootImageException.class, () -> X86VmBuilder.build(spec, UnicornX86Library.locate(), b -> { }));
        assertTrue(e.getMessage().contains(kernel.toString()) && e.getMessage().contains("Multiboot 2")
                && e.getMessage().contains("not in guest RAM"), e.getMessage());
    }

    @Test
    void multiboot2IsPreferredAndMultiboot1IsTheFallback() throws Exception {
        byte[] both = GuestCode.withMultiboot2Header(guest().image(), new Multiboot2HeaderBytes());
        assertEquals(X86VmBuilder.ImageKind.MULTIBOOT2, X86VmBuilder.kindOf(both, "both"));
        assertEquals(X86VmBuilder.ImageKind.MULTIBOOT, X86VmBuilder.kindOf(guest().image(), "mb1"));
        // A Multiboot 2 header that asks for EFI: the Multiboot 1 header boots it.
        byte[] efi = GuestCode.withMultiboot2Header(guest().image(), new Multiboot2HeaderBytes().tag(Multiboot2Header.TAG_EFI_BS, 0));
        assertEquals(X86VmBuilder.ImageKind.MULTIBOOT, X86VmBuilder.kindOf(efi, "efi"));
        // Without it, the refusal says why.
        byte[] efiOnly = GuestCode.withMultiboot2Header(guest().multiboot2Image(),
                new Multiboot2HeaderBytes().tag(Multiboot2Header.TAG_EFI_BS, 0));
        BootImageException e = assertThrows(BootImageException.class, () -> X86VmBuilder.kindOf(efiOnly, "efi-only.elf"));
        assertTrue(e.getMessage().startsWith("efi-only.elf") && e.getMessage().contains("needs EFI"), e.getMessage());
    }
}
