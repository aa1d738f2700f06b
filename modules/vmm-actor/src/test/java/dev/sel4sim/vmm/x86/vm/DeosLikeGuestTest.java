package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.virtio.mmio.MmioMode;
import dev.sel4sim.virtio.net.VirtioNet;
import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86Library;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Our Deos-like multiboot guest (guests/x86/deos-like, built by scripts/fetch-guests-x86.sh) on the
 * Deos configuration: 1 GiB of RAM from 0, the local APIC timer only, virtio-net over MMIO at
 * 0xFEB00000 on line 5. Its tick lines come at the simulated times its 100 Hz timer says; frames
 * written into the device's host side get their ARP and ICMP answers; its UDP datagrams reach the
 * peer once the peer has made itself known.
 */
@Timeout(120)
class DeosLikeGuestTest {
    static final long RAM = 0x4000_0000L;
    static final long VIRTIO = 0xfeb0_0000L;
    static final byte[] GUEST_MAC = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
    static final byte[] PEER_MAC = {0x52, 0x54, 0, 0, 0, 1};
    static final byte[] GUEST_IP = {10, 0, 0, 2};
    static final byte[] PEER_IP = {10, 0, 0, 1};
    static final long MS = 1_000_000;

    static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    record Line(String text, long atNs) {
    }

    /** The machine and what its COM1 printed, each line with the simulated time of its newline. */
    static final class Booted implements AutoCloseable {
        final List<Line> lines = new ArrayList<>();
        final StringBuilder current = new StringBuilder();
        final X86Machine machine;

        Booted(X86MachineConfig config, String cmdline) throws Exception {
            Path image = LinuxBootTest.guest("deos-like.elf").orElse(null);
            GuestImages.require(image != null, "deos-like.elf not built (scripts/fetch-guests-x86.sh)");
            X86Machine[] self = new X86Machine[1];
            machine = new X86Machine(UnicornX86Library.locate(), config, b -> {
                if (b == '\n') {
                    lines.add(new Line(current.toString().strip(), self[0].nowNs()));
                    current.setLength(0);
                } else {
                    current.append((char) b);
                }
            });
            self[0] = machine;
            machine.bootMultiboot(Files.readAllBytes(image), cmdline, List.of());
        }

        /** Runs until {@code count} lines match, failing if the guest stops. */
        List<Line> runUntilLines(Predicate<String> match, int count, long maxInstructions) {
            long start = machine.cpu().instructions();
            while (machine.cpu().instructions() - start < maxInstructions) {
                X86RunResult r = machine.run(200_000);
                if (r.outcome() != X86RunResult.Outcome.BUDGET) {
                    fail("the guest stopped: " + r + "\n" + lines);
                }
                List<Line> found = lines.stream().filter(l -> match.test(l.text())).toList();
                if (found.size() >= count) {
                    return found;
                }
            }
            return fail("not enough lines in " + maxInstructions + " instructions: " + lines);
        }

        @Override
        public void close() {
            machine.close();
        }
    }

    static X86MachineConfig deos(MmioMode mode, boolean ioapic) {
        return new X86MachineConfig(RAM, 1).withApics(true, ioapic).withTimers(X86Timers.LAPIC_ONLY)
                .withVirtio(List.of(X86VirtioSpec.net("eth0", VIRTIO, 5, mode, "52:54:00:12:34:56")));
    }

    @Test
    void tickLinesComeFromTheLocalApicTimerAtTheirSimulatedTimes() throws Exception {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        try (Booted g = new Booted(deos(MmioMode.MODERN, false), "virtio=0xfeb00000 irq=5 ip=10.0.0.2 every=50 udp=0")) {
            assertNull(g.machine.pit(), "no PIT");
            assertNull(g.machine.hpet(), "no HPET");
            List<Line> ticks = g.runUntilLines(t -> t.startsWith("deos-like: tick "), 4, 50_000_000);
            assertTrue(g.lines.stream().anyMatch(l -> l.text().equals(
                    "deos-like: virtio-net v2 at 0xfeb00000 via 8259 irq 5, ip 10.0.0.2")), g.lines.toString());
            for (int i = 0; i < 4; i++) {
                Line l = ticks.get(i);
                int n = 50 * (i + 1);
                assertEquals("deos-like: tick " + n, l.text());
                // 100 Hz from 100 MHz / 16 / 62500: tick n at n * 10 ms after the timer starts (a few µs into the run).
                long expected = n * 10 * MS;
                assertTrue(l.atNs() >= expected && l.atNs() < expected + MS / 10,
                        "tick " + n + " printed at " + l.atNs() + " ns, expected just after " + expected);
            }
        }
    }

    @ParameterizedTest(name = "{0}, IOAPIC {1}")
    @CsvSource({"LEGACY, false", "MODERN, false", "LEGACY, true", "MODERN, true"})
    void answersArpAndPingAndSendsUdpToItsPeer(MmioMode mode, boolean ioapic) throws Exception {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        try (Booted g = new Booted(deos(mode, ioapic), "virtio=0xfeb00000 irq=5 ip=10.0.0.2 peer=10.0.0.1 port=5000"
                + " every=100 udp=20")) {
            VirtioNet net = g.machine.virtio().get(0).net().orElseThrow();
            ConcurrentLinkedQueue<ByteString> out = new ConcurrentLinkedQueue<>();
            BoundedSourceQueue<ByteString> in = Source.<ByteString>queue(8).via(net.frames())
                    .toMat(Sink.foreach(out::add), Keep.left()).run(testKit.system());
            g.runUntilLines(t -> t.startsWith("deos-like: virtio-net v" + (mode == MmioMode.MODERN ? 2 : 1))
                    && t.contains(ioapic ? "IOAPIC pin 5" : "8259 irq 5"), 1, 10_000_000);

            assertEquals(QueueOfferResult.enqueued(), in.offer(arpRequest()));
            byte[] arp = await(g, out, f -> type(f) == 0x0806 && u16(f, 20) == 2);
            assertArrayEquals(PEER_MAC, Arrays.copyOfRange(arp, 0, 6), "to the asker");
            assertArrayEquals(GUEST_MAC, Arrays.copyOfRange(arp, 6, 12), "from the guest");
            assertArrayEquals(GUEST_MAC, Arrays.copyOfRange(arp, 22, 28), "sender MAC");
            assertArrayEquals(GUEST_IP, Arrays.copyOfRange(arp, 28, 32), "sender IP");
            assertArrayEquals(PEER_MAC, Arrays.copyOfRange(arp, 32, 38), "target MAC");
            assertArrayEquals(PEER_IP, Arrays.copyOfRange(arp, 38, 42), "target IP");

            byte[] payload = "sel4sim ping".getBytes(StandardCharsets.US_ASCII);
            assertEquals(QueueOfferResult.enqueued(), in.offer(echoRequest(0x1234, 7, payload)));
            byte[] echo = await(g, out, f -> type(f) == 0x0800 && f[23] == 1 && f[34] == 0);
            assertArrayEquals(PEER_MAC, Arrays.copyOfRange(echo, 0, 6));
            assertArrayEquals(GUEST_IP, Arrays.copyOfRange(echo, 26, 30), "from the guest's address");
            assertArrayEquals(PEER_IP, Arrays.copyOfRange(echo, 30, 34), "to the pinger");
            assertEquals(0, checksum(echo, 14, 20), "IP header checksum");
            assertEquals(0x1234, u16(echo, 38), "identifier");
            assertEquals(7, u16(echo, 40), "sequence");
            assertArrayEquals(payload, Arrays.copyOfRange(echo, 42, 42 + payload.length), "echoed data");
            assertEquals(0, checksum(echo, 34, 8 + payload.length), "ICMP checksum");

            // The ARP request made the peer known: the periodic datagrams now go to it.
            byte[] udp = await(g, out, f -> type(f) == 0x0800 && f[23] == 17);
            assertArrayEquals(PEER_MAC, Arrays.copyOfRange(udp, 0, 6));
            assertArrayEquals(PEER_IP, Arrays.copyOfRange(udp, 30, 34));
            assertEquals(5000, u16(udp, 36), "destination port");
            int udpLength = u16(udp, 38);
            String text = new String(udp, 42, udpLength - 8, StandardCharsets.US_ASCII);
            Matcher tick = Pattern.compile("deos-like tick (\\d{10})").matcher(text);
            assertTrue(tick.matches(), text);
            assertEquals(0, Long.parseLong(tick.group(1)) % 20, "sent on every 20th tick: " + text);
            assertEquals(0, udpChecksum(udp), "UDP checksum with the pseudo-header");
            assertTrue(g.machine.deviceNotes().isEmpty(), g.machine.deviceNotes().toString());
            in.complete();
        }
    }

    /** Runs the guest until a frame it sent matches; the frames before it are dropped. */
    static byte[] await(Booted g, ConcurrentLinkedQueue<ByteString> out, Predicate<byte[]> match) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000 * MS;
        while (System.nanoTime() < deadline) {
            for (ByteString f = out.poll(); f != null; f = out.poll()) {
                byte[] b = f.toArray();
                if (match.test(b)) {
                    return b;
                }
            }
            if (!g.machine.deviceWorkPending()) {
                Thread.sleep(1); // the stream's threads have not handed anything over yet
            }
            X86RunResult r = g.machine.run(20_000);
            if (r.outcome() != X86RunResult.Outcome.BUDGET) {
                fail("the guest stopped: " + r + "\n" + g.lines);
            }
        }
        return fail("no such frame from the guest; console: " + g.lines + " notes: " + g.machine.deviceNotes());
    }

    static int type(byte[] f) {
        return f.length >= 14 ? u16(f, 12) : -1;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    static ByteString arpRequest() {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.put(new byte[] {-1, -1, -1, -1, -1, -1}).put(PEER_MAC).putShort((short) 0x0806);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
        b.put(PEER_MAC).put(PEER_IP).put(new byte[6]).put(GUEST_IP);
        return ByteString.fromArray(b.array());
    }

    static ByteString echoRequest(int id, int seq, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + data.length);
        b.put(GUEST_MAC).put(PEER_MAC).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + data.length)).putShort((short) 1).putShort((short) 0)
                .put((byte) 64).put((byte) 1).putShort((short) 0).put(PEER_IP).put(GUEST_IP);
        b.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) seq).put(data);
        byte[] f = b.array();
        int ip = checksum(f, 14, 20);
        f[24] = (byte) (ip >> 8);
        f[25] = (byte) ip;
        int icmp = checksum(f, 34, 8 + data.length);
        f[36] = (byte) (icmp >> 8);
        f[37] = (byte) icmp;
        return ByteString.fromArray(f);
    }

    /** RFC 1071: zero over data that includes its own correct checksum. */
    static int checksum(byte[] b, int at, int length) {
        return fold(sum(b, at, length, 0));
    }

    static long sum(byte[] b, int at, int length, long sum) {
        for (int i = 0; i < length; i += 2) {
            sum += (b[at + i] & 0xff) << 8 | (i + 1 < length ? b[at + i + 1] & 0xff : 0);
        }
        return sum;
    }

    static int fold(long sum) {
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static int udpChecksum(byte[] f) {
        int length = u16(f, 38);
        long pseudo = sum(f, 26, 8, 0) + 17 + length;
        return fold(sum(f, 34, length, pseudo));
    }
}
