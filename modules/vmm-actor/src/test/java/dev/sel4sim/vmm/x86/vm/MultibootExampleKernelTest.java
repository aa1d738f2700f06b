package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.x86.boot.MultibootBoot;
import dev.sel4sim.vmm.x86.boot.MultibootModule;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86Library;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Boots Debian's Multiboot example kernel (package {@code multiboot}, fetched by
 * scripts/fetch-guests-x86.sh) and reads what it prints on the VGA text screen: the information
 * structure as the kernel saw it.
 */
class MultibootExampleKernelTest {
    static final long RAM = 32L << 20;

    static Optional<Path> kernel() {
        String cache = System.getenv("SEL4SIM_CACHE");
        if (cache != null && !cache.isBlank()) {
            Path p = Path.of(cache, "guests", "x86", "multiboot-kernel");
            if (Files.isReadable(p)) {
                return Optional.of(p);
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(".cache/guests/x86/multiboot-kernel");
            if (Files.isReadable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** A row as the kernel wrote it, except the cell of the blue diagonal it draws afterwards. */
    static String rowWithoutDiagonal(List<String> screen, int row) {
        StringBuilder s = new StringBuilder(screen.get(row));
        if (row < s.length()) {
            s.setCharAt(row, '~');
        }
        return s.toString();
    }

    static boolean matches(String expected, String actual, int row) {
        StringBuilder e = new StringBuilder(expected);
        if (row < e.length()) {
            e.setCharAt(row, '~');
        }
        return e.toString().equals(actual);
    }

    @Test
    void exampleKernelPrintsTheMultibootInformationItWasGiven() throws Exception {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        Optional<Path> image = kernel();
        GuestImages.require(image.isPresent(), "Debian's multiboot example kernel is missing: run scripts/fetch-guests-x86.sh");
        byte[] kernel = Files.readAllBytes(image.get());
        String cmdline = "sel4sim-x86 console=vga answer=42";
        byte[] module = "module payload".getBytes(StandardCharsets.US_ASCII);

        try (X86Machine m = new X86Machine(UnicornX86Library.locate(), new X86MachineConfig(RAM, 1))) {
            MultibootBoot boot = m.bootMultiboot(kernel, cmdline, List.of(new MultibootModule(module, "initrd.img ro")));
            X86RunResult r = m.run(50_000_000);
            List<String> screen = m.vga().screen();
            String text = String.join("\n", screen);
            assertEquals(X86RunResult.Outcome.HALTED, r.outcome(), r + "\n" + text);

            long upper = (RAM - 0x100000) / 1024;
            long modStart = (boot.imageEnd() + 0xfff) & ~0xfffL;
            List<String> expected = List.of(
                    "flags = 0x124d",
                    "mem_lower = 640KB, mem_upper = " + upper + "KB",
                    "cmdline = " + cmdline,
                    String.format("mods_count = 1, mods_addr = 0x%x", 0x9000 + 128 + 40 + 72),
                    String.format(" mod_start = 0x%x, mod_end = 0x%x, cmdline = initrd.img ro", modStart, modStart + module.length),
                    String.format("mmap_addr = 0x%x, mmap_length = 0x48", 0x9000 + 128 + 40),
                    " size = 0x14, base_addr = 0x000000000, length = 0x0000a0000, type = 0x1",
                    " size = 0x14, base_addr = 0x0000a0000, length = 0x000060000, type = 0x2",
                    String.format(" size = 0x14, base_addr = 0x000100000, length = 0x0%08x, type = 0x1", upper * 1024));
            for (int row = 0; row < expected.size(); row++) {
                String actual = rowWithoutDiagonal(screen, row);
                assertTrue(matches(expected.get(row), actual, row), "row " + row + ": expected \"" + expected.get(row)
                        + "\"\n but the screen shows:\n" + text);
            }
            // The kernel draws a diagonal of '\' in blue (attribute 1) from the EGA text framebuffer we described.
            for (int i = 0; i < 25; i++) {
                assertEquals('\\', m.vga().character(i, i), "diagonal at " + i + "\n" + text);
                assertEquals(1, m.vga().attribute(i, i));
            }
        }
    }
}
