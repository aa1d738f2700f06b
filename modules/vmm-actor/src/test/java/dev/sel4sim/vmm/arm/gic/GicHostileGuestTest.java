package dev.sel4sim.vmm.arm.gic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.sel4sim.vmm.arm.CpuTopology;
import dev.sel4sim.vmm.cpu.SysReg;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Random guest accesses of every size, offset and value never throw, and the outputs stay consistent. */
class GicHostileGuestTest {

    private static final int[] SIZES = {1, 2, 3, 4, 8, 16, 0, -1};

    @Test
    void gicV2SurvivesRandomAccesses() {
        SplittableRandom r = new SplittableRandom(1);
        GicV2 g = new GicV2(4, 160);
        int[] changes = new int[4];
        g.setListener((vcpu, irq, fiq) -> changes[vcpu]++);
        for (int i = 0; i < 200_000; i++) {
            if (i % 500 == 0) {
                wakeV2(g);
            }
            int vcpu = r.nextInt(4);
            long offset = switch (r.nextInt(8)) {
                case 0 -> r.nextLong();
                case 1 -> r.nextLong(0x2100);
                default -> r.nextLong(0x1000) & ~3;
            };
            int size = SIZES[r.nextInt(SIZES.length)];
            long value = r.nextLong();
            switch (r.nextInt(6)) {
                case 0 -> g.readDistributor(vcpu, offset, size);
                case 1 -> g.writeDistributor(vcpu, offset, size, value);
                case 2 -> g.readCpuInterface(vcpu, offset, size);
                case 3 -> g.writeCpuInterface(vcpu, offset, size, value);
                case 4 -> g.setLevel(r.nextInt(-5, 1100), r.nextBoolean());
                default -> g.setPpiLevel(r.nextInt(-1, 5), r.nextInt(-5, 40), r.nextBoolean());
            }
            checkOutputs(g.core());
        }
    }

    @Test
    void gicV3SurvivesRandomAccesses() {
        SplittableRandom r = new SplittableRandom(2);
        GicV3 g = new GicV3(CpuTopology.linear(3, 16), 1020);
        for (int i = 0; i < 200_000; i++) {
            if (i % 500 == 0) {
                wakeV3(g);
            }
            int vcpu = r.nextInt(3);
            long offset = switch (r.nextInt(8)) {
                case 0 -> r.nextLong();
                case 1 -> r.nextLong(0x20000);
                case 2, 3 -> 0x10000 + (r.nextLong(0x1000) & ~3);
                default -> r.nextLong(0x1000) & ~3;
            };
            int size = SIZES[r.nextInt(SIZES.length)];
            long value = r.nextLong();
            SysReg reg = SysReg.of(3, r.nextInt(2) == 0 ? 0 : r.nextInt(8), r.nextInt(2) == 0 ? 12 : r.nextInt(16),
                    r.nextInt(2) == 0 ? 8 + r.nextInt(5) : r.nextInt(16), r.nextInt(8));
            switch (r.nextInt(8)) {
                case 0 -> g.readDistributor(offset, size);
                case 1 -> g.writeDistributor(offset, size, value);
                case 2 -> g.readRedistributor(vcpu, offset, size);
                case 3 -> g.writeRedistributor(vcpu, offset, size, value);
                case 4 -> assertNotNull(g.readSysReg(vcpu, reg));
                case 5 -> assertNotNull(g.writeSysReg(vcpu, reg, value));
                case 6 -> g.readRedistributorRegion(r.nextLong(-10, 0x80000), size);
                default -> g.setLevel(r.nextInt(-5, 1100), r.nextBoolean());
            }
            checkOutputs(g.core());
        }
    }

    /** Enables everything, so that random writes exercise the whole state machine rather than a dead GIC. */
    private static void wakeV2(GicV2 g) {
        g.writeDistributor(0, 0, 4, 3);
        for (int v = 0; v < g.vcpuCount(); v++) {
            g.writeCpuInterface(v, 0, 4, 3 | 4);
            g.writeCpuInterface(v, 4, 4, 0xF8);
            g.writeDistributor(v, 0x100, 4, -1);
        }
        for (int i = 1; i < 5; i++) {
            g.writeDistributor(0, 0x100 + 4 * i, 4, -1);
        }
    }

    private static void wakeV3(GicV3 g) {
        g.writeDistributor(0, 4, 0x13);
        for (int i = 1; i < 32; i++) {
            g.writeDistributor(0x100 + 4 * i, 4, -1);
        }
        for (int v = 0; v < g.vcpuCount(); v++) {
            g.writeRedistributor(v, 0x14, 4, 0);
            g.writeRedistributor(v, 0x10100, 4, -1);
            g.writeSysReg(v, Icc.PMR_EL1, 0xF8);
            g.writeSysReg(v, Icc.IGRPEN0_EL1, 1);
            g.writeSysReg(v, Icc.IGRPEN1_EL1, 1);
        }
    }

    /** The cached outputs must equal a fresh evaluation of the state. */
    private static void checkOutputs(GicCore core) {
        for (int v = 0; v < core.vcpuCount(); v++) {
            PendingInterrupt top = core.highestPending(v);
            boolean signalled = top != null && core.canSignal(v, top);
            boolean fiq = signalled && core.signalsAsFiq(v, top);
            assertEquals(signalled && !fiq, core.irqPending(v));
            assertEquals(fiq, core.fiqPending(v));
        }
    }
}
