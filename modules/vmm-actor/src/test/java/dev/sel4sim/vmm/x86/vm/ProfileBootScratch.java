package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.x86.cpu.X86Reg;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86Library;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

class ProfileBootScratch {
    @Test
    void profile() throws Exception {
        StringBuilder console = new StringBuilder();
        Map<Long, Long> hist = new HashMap<>();
        try (X86Machine m = new X86Machine(UnicornX86Library.locate(), new X86MachineConfig(LinuxBootTest.RAM, 1),
                b -> console.append((char) b))) {
            m.bootLinux(Files.readAllBytes(LinuxBootTest.guest("bzImage").get()), Files.readAllBytes(LinuxBootTest.guest("initramfs.cpio.gz").get()),
                    LinuxBootTest.CMDLINE + (System.getenv("XARGS") == null ? "" : " " + System.getenv("XARGS")));
            long t0 = System.nanoTime();
            int phase = 0;
            while (m.cpu().instructions() < 12_000_000_000L) {
                m.run(50_000);
                long eip = m.cpu().reg(X86Reg.EIP);
                if (phase == 0) {
                    hist.merge(eip >> 6, 1L, Long::sum);
                }
                if (phase == 0 && console.indexOf("# ") >= 0) {
                    System.out.println("SHELL at " + m.cpu().instructions() + " insns, " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                    phase = 1;
                    StringBuilder cmd = new StringBuilder("grep -e XX");
                    hist.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(25).forEach(e -> {
                        System.out.printf("%08x %d%n", e.getKey() << 6, e.getValue());
                        cmd.append(" -e ^").append(String.format("%08x", e.getKey() << 6).substring(0, 5));
                    });
                    LinuxBootTest.type(m, cmd + " /proc/kallsyms | sort > /dev/ttyS0; echo END-$((1+1))\n");
                }
                if (phase == 1 && console.indexOf("END-2") >= 0) {
                    break;
                }
            }
        }
        String c = console.toString();
        System.out.println(c.substring(Math.max(0, c.length() - 30000)));
    }
}
