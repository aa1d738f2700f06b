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
        assertTrue(java.util.regex.Pattern.compile("\\[vm0\\] \\[ *0\\.0+\\] Linux version 6\\.1\\.0-").matcher(r.out()).find(),
                SeedSystemsTest.tail(r.out()));
    }

    @Test
    void optiplex9020TwoLinuxVmsEachReverseAStringThroughTheirStringReverseComponent() throws Exception {
        SeedSystemsTest.Run check = SeedSystemsTest.launch(120, "check", "conf/systems/optiplex9020.conf");
        assertEquals(0, check.code(), check.out());
        assertTrue(check.out().contains("cross-vm src: registers at 0xdf000000, dataport at 0xdf001000 (4 KiB), line 9"), check.out());

        String define = CrossVmConnectorTest.REVERSE + "; echo DEF''INED";
        SeedSystemsTest.Run r = SeedSystemsTest.launch(500, "run", "conf/systems/optiplex9020.conf", "--timeout", "450",
                "--expect-all", "\\[vm0\\] # ", "--expect-all", "\\[vm1\\] # ",
                "--send", CrossVmConnectorTest.PUT, "--send", CrossVmConnectorTest.GET, "--send", CrossVmConnectorTest.RING,
                "--send", define, "--expect", "\\[vm0\\] DEFINED",
                "--send", "reverse hello", "--expect", "\\[vm0\\] REVERSED:\\[olleh\\]",
                "--send", "@1",
                "--send", CrossVmConnectorTest.PUT, "--send", CrossVmConnectorTest.GET, "--send", CrossVmConnectorTest.RING,
                "--send", define, "--expect", "\\[vm1\\] DEFINED",
                "--send", "reverse seL4", "--expect", "\\[vm1\\] REVERSED:\\[4Les\\]");
        assertEquals(0, r.code(), SeedSystemsTest.tail(r.out()));
    }

    @Test
    void deosLikeGuestAndLinuxShareABridgeEachWithItsOwnTimers() throws Exception {
        SeedSystemsTest.Run check = SeedSystemsTest.launch(120, "check", "conf/systems/deos_linux.conf");
        assertEquals(0, check.code(), check.out());
        assertTrue(check.out().contains("timers and interrupts: LAPIC timer; local APIC")
                && check.out().contains("timers and interrupts: 8254 PIT; 8259 PIC pair")
                && check.out().contains("virtio-net eth0 on mmio at 0xfeb00000, line 5")
                && check.out().contains("virtio-net eth0 on pci"), check.out());

        SeedSystemsTest.Run r = SeedSystemsTest.launch(400, "run", "conf/systems/deos_linux.conf", "--timeout", "360",
                "--expect-all", "\\[deos\\] deos-like: up, local APIC timer at 100 Hz",
                "--expect-all", "\\[deos\\] deos-like: virtio-net v1 at 0xfeb00000", "--expect-all", "\\[linux\\] SEL4SIM-INIT-OK",
                "--expect", "# ", "--send", "@1", "--send", "ping -c 2 10.0.0.2",
                "--expect", "\\[linux\\] 2 packets transmitted, 2 packets received",
                "--expect", "\\[deos\\] deos-like: tick [0-9]+");
        assertEquals(0, r.code(), SeedSystemsTest.tail(r.out()));
    }

    @Test
    void cma34crLinuxMountsItsDiskPingsTheUdpServerAndTheHostReachesEchoThroughTheFirewall() throws Exception {
        java.util.List<String> cmd = java.util.List.of(GuestRun.ROOT.resolve("sel4sim").toString(), "run", "conf/systems/cma34cr.conf",
                "--timeout", "360", "--expect", "\\[vm0\\] SEL4SIM-INIT-OK", "--expect", "# ",
                "--send", "mount /dev/vda /mnt && cat /mnt/hello.txt", "--expect", "\\[vm0\\] hello",
                "--send", "ping -c 2 10.0.0.2", "--expect", "\\[vm0\\] 2 packets transmitted, 2 packets received",
                // The board's CMOS clock and COM2, passed through: the host's year, and text on the board's line.
                "--send", "date +RTC-YEAR-%Y; echo board-serial-$((6*7)) > /dev/ttyS1; echo SENT-$?", "--expect", "\\[vm0\\] SENT-0");
        java.nio.file.Path log = java.nio.file.Files.createTempFile("sel4sim-cma-x86", ".log");
        Process p = new ProcessBuilder(cmd).directory(GuestRun.ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            // The network chain is native: the host reaches Echo while the VM boots.
            String echoed = null;
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
            while (echoed == null && System.nanoTime() < deadline && p.isAlive()) {
                if (java.nio.file.Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1).contains("127.0.0.1:5568")) {
                    // The first datagram may come while the components still start beside a booting VM: ask again, as a user would.
                    echoed = SeedSystemsTest.udp(5567, "hi\n");
                } else {
                    Thread.sleep(200);
                }
            }
            assertEquals("hi\n", echoed, "echo through driver, firewall, switch, UDP server; the run so far:\n"
                    + SeedSystemsTest.tail(java.nio.file.Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1)));
            assertEquals(null, SeedSystemsTest.udp(5568, "hi\n"), "the firewall denies port 9");
            assertTrue(p.waitFor(400, java.util.concurrent.TimeUnit.SECONDS), "the run did not end");
            String out = java.nio.file.Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertEquals(0, p.exitValue(), SeedSystemsTest.tail(out));
            // One datagram allowed by the rule; the denied one (and whatever the VM broadcasts) by the default policy.
            assertTrue(java.util.regex.Pattern.compile("firewall firewall: rule hits \\[1\\], default policy [1-9]").matcher(out).find(),
                    SeedSystemsTest.tail(out));
            assertTrue(out.matches("(?s).*virtio-blk vm0.disk \\(.*\\): [1-9][0-9,]* reads.*"), SeedSystemsTest.tail(out));
            int year = java.time.Year.now().getValue();
            assertTrue(out.contains("[vm0] RTC-YEAR-" + year) || out.contains("[vm0] RTC-YEAR-" + (year - 1)), SeedSystemsTest.tail(out));
            assertTrue(out.contains("[board com2] board-serial-42"), SeedSystemsTest.tail(out));
        } finally {
            p.destroyForcibly();
            java.nio.file.Files.deleteIfExists(log);
        }
    }
}
