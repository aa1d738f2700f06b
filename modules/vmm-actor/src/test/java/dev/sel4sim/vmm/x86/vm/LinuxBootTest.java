package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.x86.cpu.X86Reg;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86Library;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Boots Debian's i386 686 kernel with the busybox initramfs (both fetched by
 * scripts/fetch-guests-x86.sh) on the machine's PIC, PIT and COM1, and talks to the shell on ttyS0.
 */
class LinuxBootTest {
    static final long RAM = 256L << 20;
    static final String CMDLINE = "console=ttyS0 earlyprintk=serial,ttyS0,115200 nokaslr notsc noapic nolapic acpi=off pci=off"
            + " rdinit=/init";

    static Optional<Path> guest(String name) {
        String cache = System.getenv("SEL4SIM_CACHE");
        if (cache != null && !cache.isBlank()) {
            Path p = Path.of(cache, "guests", "x86", name);
            if (Files.isReadable(p)) {
                return Optional.of(p);
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(".cache/guests/x86/" + name);
            if (Files.isReadable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs until the console shows {@code marker} or the instruction budget is spent. */
    static boolean runUntil(X86Machine m, StringBuilder console, String marker, long maxInstructions) {
        return runUntil(m, console, marker, 0, maxInstructions);
    }

    /** As above, looking for the marker only from {@code from} on. */
    static boolean runUntil(X86Machine m, StringBuilder console, String marker, int from, long maxInstructions) {
        long start = m.cpu().instructions();
        int seen = console.length();
        while (m.cpu().instructions() - start < maxInstructions) {
            X86RunResult r = m.run(20_000_000);
            if (System.getenv("SEL4SIM_TRACE") != null) {
                System.out.println("TRACE " + r + " eip " + Long.toHexString(m.cpu().reg(X86Reg.EIP)) + " if "
                        + ((m.cpu().reg(X86Reg.EFLAGS) >> 9) & 1) + " halted " + m.halted() + state(m) + " stack=" + hex(m.cpu().readLinear(m.cpu().reg(X86Reg.ESP), 64)));
            }
            if (console.length() != seen) {
                System.out.print(console.substring(seen));
                seen = console.length();
            }
            if (console.indexOf(marker, from) >= 0) {
                return true;
            }
            if (r.outcome() == X86RunResult.Outcome.FAILED) {
                fail("the guest stopped: " + r.message() + " " + state(m) + "\n--- console ---\n" + console);
            }
            if (r.outcome() == X86RunResult.Outcome.HALTED && !m.halted()) {
                fail("halted with interrupts off at eip 0x" + Long.toHexString(m.cpu().reg(X86Reg.EIP)) + "\n" + console);
            }
        }
        return false;
    }

    static String hex(byte[] b) {
        if (b == null) {
            return "?";
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i + 4 <= b.length; i += 4) {
            s.append(String.format(" %08x", (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24));
        }
        return s.toString();
    }

    static String state(X86Machine m) {
        StringBuilder s = new StringBuilder();
        for (X86Reg r : new X86Reg[] {X86Reg.EAX, X86Reg.EBX, X86Reg.ECX, X86Reg.EDX, X86Reg.ESI, X86Reg.EDI, X86Reg.EBP,
                X86Reg.ESP, X86Reg.EIP, X86Reg.EFLAGS, X86Reg.CR0, X86Reg.CR2, X86Reg.CR3, X86Reg.CR4}) {
            s.append(' ').append(r).append('=').append(Long.toHexString(m.cpu().reg(r)));
        }
        byte[] code = m.cpu().readLinear(m.cpu().reg(X86Reg.EIP), 16);
        if (code != null) {
            s.append(" code=");
            for (byte b : code) {
                s.append(String.format("%02x", b & 0xff));
            }
        }
        return s.toString();
    }

    @Test
    void debianI386KernelBootsToABusyboxShellOnTtyS0() throws Exception {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        Optional<Path> kernel = guest("bzImage");
        Optional<Path> initrd = guest("initramfs.cpio.gz");
        GuestImages.require(kernel.isPresent() && initrd.isPresent(),
                "Debian's i386 kernel or the initramfs is missing: run scripts/fetch-guests-x86.sh");
        StringBuilder console = new StringBuilder();
        try (X86Machine m = new X86Machine(UnicornX86Library.locate(), new X86MachineConfig(RAM, 1),
                b -> console.append((char) b))) {
            m.bootLinux(Files.readAllBytes(kernel.get()), Files.readAllBytes(initrd.get()), CMDLINE);
            boolean up = runUntil(m, console, "SEL4SIM-INIT-OK", 20_000_000_000L);
            assertTrue(up, "no SEL4SIM-INIT-OK after the budget; eip 0x" + Long.toHexString(m.cpu().reg(X86Reg.EIP))
                    + "\n--- console ---\n" + console);
            int init = console.indexOf("SEL4SIM-INIT-OK");
            assertTrue(runUntil(m, console, "# ", init, 2_000_000_000L), "no shell prompt\n" + console);
            int before = console.length();
            type(m, "uname -m; echo done-$((6*7))\n");
            // The echoed command line holds "done-$((6*7))", not "done-42": only the shell's answer matches.
            assertTrue(runUntil(m, console, "done-42", before, 2_000_000_000L), "the shell did not answer\n" + console);
            String answer = console.substring(before);
            // The shell echoes the command line, then prints the machine and the marker.
            assertTrue(answer.matches("(?s).*\\ni686\\r?\\n.*done-42.*"), "uname -m answered: " + answer);
        }
    }

    /** Types {@code text} on COM1, letting the guest run while its receive FIFO is full. */
    static void type(X86Machine m, String text) {
        for (char c : text.toCharArray()) {
            int tries = 0;
            while (!m.serialInput(c)) {
                m.run(200_000);
                if (++tries > 10_000) {
                    fail("the guest stopped reading COM1");
                }
            }
        }
    }
}
