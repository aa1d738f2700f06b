package dev.sel4sim.systemtest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The x86 seed systems of conf/systems, launched through {@code ./sel4sim} as a user launches them. */
class X86SeedSystemsTest {
    @BeforeAll
    static void guests() {
        if (!Files.isReadable(GuestRun.ROOT.resolve(".cache/guests/x86/bzImage"))
                || !Files.isReadable(GuestRun.ROOT.resolve(".cache/guests/x86/initramfs.cpio.gz"))) {
            throw new IllegalStateException("x86 guest images missing: run scripts/fetch-guests-x86.sh (scripts/test.sh does)");
        }
    }

    @Test
    void x86MinimalBootsLinuxFromTheFileServerToAShellOnTheSerialServer() throws Exception {
        SeedSystemsTest.Run check = SeedSystemsTest.launch(120, "check", "conf/systems/x86_minimal.conf");
        assertEquals(0, check.code(), check.out());
        assertTrue(check.out().contains("vm vm0: x86 PC, 1 VCPU (i686), 256 MiB RAM")
                && check.out().contains("kernel fileserver:bzimage, initrd fileserver:rootfs"), check.out());

        SeedSystemsTest.Run r = SeedSystemsTest.launch(400, "run", "conf/systems/x86_minimal.conf", "--timeout", "360",
                "--expect", "\\[vm0\\] SEL4SIM-INIT-OK", "--expect", "# ", "--send", "uname -m; echo x86-$((40+2))",
                "--expect", "\\[vm0\\] i686", "--expect", "\\[vm0\\] x86-42");
        assertEquals(0, r.code(), SeedSystemsTest.tail(r.out()));
        // The kernel's own banner came through the SerialServer, prefixed with the VM's name.
        assertTrue(r.out().contains("[vm0] Linux version 6.1.0"), SeedSystemsTest.tail(r.out()));
    }
}
