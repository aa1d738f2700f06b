package dev.sel4sim.systemtest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed systems of conf/systems launched as a user launches them: the {@code ./sel4sim}
 * launcher in its own process, scripted with --expect/--send on the shared terminal.
 */
class SeedSystemsTest {
    @BeforeAll
    static void guests() {
        GuestRun.requireGuests();
    }

    record Run(int code, String out) {
    }

    static Run launch(long timeoutSeconds, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(GuestRun.ROOT.resolve("sel4sim").toString());
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("sel4sim-run", ".log");
        Process p = new ProcessBuilder(cmd).directory(GuestRun.ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
                p.destroyForcibly();
                return new Run(-1, Files.readString(log, StandardCharsets.ISO_8859_1));
            }
            return new Run(p.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static String tail(String s) {
        return s.length() < 4000 ? s : s.substring(s.length() - 4000);
    }

    @Test
    void vmSerialServerSharesOneTerminalBetweenTwoVmsAndSwitchesInput() throws Exception {
        Run r = launch(200, "run", "conf/systems/vm_serial_server.conf", "--timeout", "150",
                "--expect-all", "\\[vm0.hvc\\] # ", "--expect-all", "\\[vm1.hvc\\] # ",
                "--send", "echo in-vm0-$((6*7))", "--expect", "\\[vm0.hvc\\] in-vm0-42",
                "--send", "@1", "--expect", "-- input to vm1.hvc --",
                "--send", "echo in-vm1-$((6*7))", "--expect", "\\[vm1.hvc\\] in-vm1-42");
        assertEquals(0, r.code(), tail(r.out()));
        assertFalse(r.out().contains("[vm1.hvc] in-vm0-42"), "vm0's command ran only in vm0");
        assertFalse(r.out().contains("[vm0.hvc] in-vm1-42"), "after @1 the input went to vm1 only");
    }

    @Test
    void vmVirtioNetPingsAcrossTheSwitchAndTheCountersMatch() throws Exception {
        Run r = launch(200, "run", "conf/systems/vm_virtio_net.conf", "--timeout", "150",
                "--expect-all", "\\[vm0\\] # ", "--expect-all", "\\[vm1\\] # ",
                "--send", "ping -c 3 10.0.0.2", "--expect", "\\[vm0\\] 3 packets transmitted, 3 packets received",
                "--send", "@1",
                "--send", "echo STATS $(cat /sys/class/net/eth0/statistics/rx_packets) $(cat /sys/class/net/eth0/statistics/tx_packets) END",
                "--expect", "\\[vm1\\] STATS [0-9]+ [0-9]+ END");
        assertEquals(0, r.code(), tail(r.out()));
        Matcher guest = Pattern.compile("\\[vm1\\] STATS ([0-9]+) ([0-9]+) END").matcher(r.out());
        assertTrue(guest.find(), tail(r.out()));
        Matcher sw = Pattern.compile("switch switch0 port 1 \\(vm1.eth0\\): ([0-9,]+) frames in, ([0-9,]+) out, dropped 0 no route")
                .matcher(r.out());
        assertTrue(sw.find(), "switch counters at the end of the run:\n" + tail(r.out()));
        assertEquals(guest.group(1), sw.group(2).replace(",", ""), "frames vm1 received = frames the switch sent to its port");
        assertEquals(guest.group(2), sw.group(1).replace(",", ""), "frames vm1 sent = frames the switch took from its port");
        assertTrue(Long.parseLong(guest.group(1)) >= 4, "ARP and three echo requests reached vm1");
    }

    @Test
    void vmMultiRunsThreeVmsOnTheSharedTerminalAndSwitch() throws Exception {
        Run r = launch(240, "run", "conf/systems/vm_multi.conf", "--timeout", "200",
                "--expect-all", "\\[vm0\\] # ", "--expect-all", "\\[vm1\\] # ", "--expect-all", "\\[vm2\\] # ",
                "--send", "ping -c 2 10.0.0.3", "--expect", "\\[vm0\\] 2 packets transmitted, 2 packets received",
                "--send", "@2", "--send", "ping -c 1 10.0.0.2", "--expect", "\\[vm2\\] 1 packets transmitted, 1 packets received");
        assertEquals(0, r.code(), tail(r.out()));
        for (String vm : List.of("vm0", "vm1", "vm2")) {
            assertTrue(r.out().contains("sel4sim: VM " + vm + " ran"), vm + " ran under its own VMM:\n" + tail(r.out()));
        }
    }

    @Test
    void novaDemoPingsBetweenThreeVmsOnTheUartMultiplexerAndSwitch() throws Exception {
        Run r = launch(240, "run", "conf/systems/nova_demo.conf", "--timeout", "200",
                "--expect-all", "\\[linux1\\] # ", "--expect-all", "\\[linux2\\] # ", "--expect-all", "\\[linux3\\] # ",
                "--send", "@1", "--send", "ping -c 2 192.168.42.3", "--expect", "\\[linux2\\] 2 packets transmitted, 2 packets received");
        assertEquals(0, r.code(), tail(r.out()));
        assertTrue(r.out().contains("switch vswitch port 2 (linux3.veth)"), tail(r.out()));
    }

    @Test
    void zcu102RunsOneVmPerCoreEachWithItsOwnVmmAndTheBoardsSmcAllowList() throws Exception {
        Run check = launch(120, "check", "conf/systems/zcu102_vm_per_core.conf");
        assertEquals(0, check.code(), check.out());
        assertTrue(check.out().contains("SMC policy allow [0xc2000001, 0xc2000a03] (board zcu102 default)"), check.out());
        assertTrue(check.out().contains("stage-2 translation: 40-bit IPA, 3 levels"), check.out());
        Run r = launch(300, "run", "conf/systems/zcu102_vm_per_core.conf", "--timeout", "240",
                "--expect-all", "\\[vm0\\] # ", "--expect-all", "\\[vm1\\] # ", "--expect-all", "\\[vm2\\] # ",
                "--expect-all", "\\[vm3\\] # ",
                "--send", "@3", "--send", "echo on-vm3-$((40+2))", "--expect", "\\[vm3\\] on-vm3-42");
        assertEquals(0, r.code(), tail(r.out()));
        for (String vm : List.of("vm0", "vm1", "vm2", "vm3")) {
            assertTrue(r.out().contains("sel4sim: VM " + vm + " ran"), vm + " ran under its own VMM:\n" + tail(r.out()));
        }
    }

    @Test
    void maaxboardSingleGuestBootsOnTheBoardsGicV3WithItsSipSmcRule() throws Exception {
        Run check = launch(120, "check", "conf/systems/maaxboard_single_guest.conf");
        assertEquals(0, check.code(), check.out());
        assertTrue(check.out().contains("SMC policy emulate [0xc2000006] (the VM's own)"), check.out());
        Run r = launch(200, "run", "conf/systems/maaxboard_single_guest.conf", "--timeout", "150",
                "--expect", "# ", "--send", "grep -c GICv3 /proc/interrupts; echo END-$((1+1))", "--expect", "END-2");
        assertEquals(0, r.code(), tail(r.out()));
        assertTrue(Pattern.compile("^[1-9][0-9]*\\r?$", Pattern.MULTILINE).matcher(r.out()).find(), "interrupts on a GICv3:\n" + tail(r.out()));
    }

    @Test
    void cma34crNetEchoesHostUdpThroughDriverFirewallAndUdpServerAndDropsDeniedPorts() throws Exception {
        List<String> cmd = List.of(GuestRun.ROOT.resolve("sel4sim").toString(), "run", "conf/systems/cma34cr_net.conf", "--duration", "12s");
        Path log = Files.createTempFile("sel4sim-cma", ".log");
        Process p = new ProcessBuilder(cmd).directory(GuestRun.ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int echoPort = -1;
            int deniedPort = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            Pattern fwd = Pattern.compile("forwards udp 127\\.0\\.0\\.1:([0-9]+) to 10\\.0\\.0\\.2:([0-9]+)");
            while ((echoPort < 0 || deniedPort < 0) && System.nanoTime() < deadline && p.isAlive()) {
                Matcher m = fwd.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    if (m.group(2).equals("7")) {
                        echoPort = Integer.parseInt(m.group(1));
                    } else {
                        deniedPort = Integer.parseInt(m.group(1));
                    }
                }
                Thread.sleep(200);
            }
            assertTrue(echoPort > 0 && deniedPort > 0, "the run announces its forwarded ports:\n" + Files.readString(log));
            assertEquals("hi\n", udp(echoPort, "hi\n"), "echo through driver, firewall, UDP server");
            assertEquals(null, udp(deniedPort, "hi\n"), "the firewall denies port 9");
        } finally {
            // The run ends by itself after its duration and prints its counters.
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.ISO_8859_1);
            Files.deleteIfExists(log);
            assertTrue(Pattern.compile("firewall firewall: rule hits \\[1\\], default policy 1,").matcher(out).find(),
                    "one datagram allowed by the rule, one denied by the default policy, counted:\n" + tail(out));
        }
    }

    /** Sends one datagram to 127.0.0.1:port and returns the answer, or null after 3 s. */
    static String udp(int port, String text) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(3000);
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
            try {
                s.receive(in);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII);
        }
    }
}
