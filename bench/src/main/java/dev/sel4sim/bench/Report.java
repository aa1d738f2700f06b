package dev.sel4sim.bench;

import java.util.List;

/** Prints the virtio benchmark's tables (Markdown, ready for BENCHMARKS.md). */
final class Report {
    /** The bar for guest networking against the raw pipeline. */
    static final double NET_TARGET = 0.5;

    private Report() {
    }

    static void print(List<VirtioBench.NetResult> net, List<SwitchAnchor.Result> anchors, List<VirtioBench.ConsoleResult> console,
                      VirtioBench.ConsoleResult consoleAnchor) {
        System.out.println();
        System.out.println("virtio-net, vm0 (pktgen) -> switch -> vm1, against the switch alone (Source -> port 0, port 1 -> counting sink)");
        System.out.println();
        System.out.println("| frame (bytes carried) | pktgen frames | into switch | reached vm1 (rx_packets) | dropped, port 1 full | time | frames/s | Mbit/s | anchor frames/s | anchor Mbit/s | guest / anchor | target >= 0.5x |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (int i = 0; i < net.size(); i++) {
            VirtioBench.NetResult r = net.get(i);
            SwitchAnchor.Result a = anchors.get(i);
            double ratio = r.framesPerSecond() / a.framesPerSecond();
            System.out.printf("| %d B (%d) | %,d | %,d | %,d | %,d | %.3f s | %,.0f | %,.1f | %,.0f | %,.1f | **%.4fx** | %s |%n",
                    r.wireSize(), r.carried(), r.requested(), r.switchIn(), r.guestRx(), r.droppedFull(), r.seconds(),
                    r.framesPerSecond(), mbits(r.framesPerSecond(), r.carried()), a.framesPerSecond(),
                    mbits(a.framesPerSecond(), r.carried()), ratio, ratio >= NET_TARGET ? "met" : "NOT met");
        }
        System.out.println();
        System.out.println("Anchor runs (best of 3 after a warm-up): "
                + String.join("; ", anchors.stream().map(a -> String.format("%,d of %,d frames delivered, %,d dropped at port 1, %.3f s",
                a.delivered(), a.offered(), a.dropped(), a.seconds())).toList()));
        System.out.println();
        System.out.println("Per frame, during the pktgen run (VM stats: guest instructions, exits to the VMM, injected IRQs):");
        System.out.println();
        System.out.println("| frame | vm0 instructions | vm0 exits | vm0 IRQs | vm1 instructions | vm1 exits | vm1 IRQs | guest M instructions/s, vm0 / vm1 | vm1 virtio rx / dropped | vm1 frames back (ICMP, ARP) | pktgen's own result |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (VirtioBench.NetResult r : net) {
            double sent = r.switchIn();
            double got = Math.max(1, r.guestRx());
            // Over the pktgen command's wall time: how busy each guest's VCPU was.
            System.out.printf("| %d B | %,.0f | %.2f | %.2f | %,.0f | %.2f | %.2f | %.0f / %.0f | %,d / %,d | %,d | %s |%n", r.wireSize(),
                    r.sender().instructions() / sent, r.sender().exits() / sent, r.sender().irqs() / sent,
                    r.receiver().instructions() / got, r.receiver().exits() / got, r.receiver().irqs() / got,
                    r.sender().instructions() / r.commandSeconds() / 1e6, r.receiver().instructions() / r.commandSeconds() / 1e6,
                    r.vm1VirtioRx(), r.vm1VirtioRxDropped(), r.replies(), r.pktgen());
        }
        System.out.println();
        System.out.println("virtio-console, vm0 writes 'x' to /dev/hvc0 (dd | tr), a host thread reads the stream and counts every byte");
        System.out.println();
        System.out.println("| run | bytes written | bytes counted | other bytes | lost | time (first to last byte) | MB/s | guest command | guest instructions per KiB | guest M instructions/s | exits per KiB | WFE/YIELD stops |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (VirtioBench.ConsoleResult c : console) {
            ConsoleReader.Counts k = c.counts();
            double kib = c.expected() / 1024.0;
            System.out.printf("| %s | %,d | %,d | %,d | %,d | %.3f s | %.2f | %.3f s | %,.0f | %.0f | %.2f | %,d |%n", c.what(), c.expected(),
                    k.marks(), k.others(), c.expected() - k.marks(), k.seconds(), c.bytesPerSecond() / 1e6, c.commandSeconds(),
                    c.guest().instructions() / kib, c.guest().instructions() / c.commandSeconds() / 1e6, c.guest().exits() / kib,
                    c.guest().yields());
        }
        ConsoleReader.Counts k = consoleAnchor.counts();
        System.out.printf("| %s | %,d | %,d | %,d | %,d | %.3f s | %.2f | - | - | - | - | - |%n", consoleAnchor.what(), consoleAnchor.expected(),
                k.marks(), k.others(), consoleAnchor.expected() - k.marks(), k.seconds(), consoleAnchor.bytesPerSecond() / 1e6);
        VirtioBench.ConsoleResult fast = console.getFirst();
        System.out.printf("%nconsole guest / anchor: %.4fx%n", fast.bytesPerSecond() / consoleAnchor.bytesPerSecond());
    }

    private static double mbits(double framesPerSecond, int bytes) {
        return framesPerSecond * bytes * 8 / 1e6;
    }
}
