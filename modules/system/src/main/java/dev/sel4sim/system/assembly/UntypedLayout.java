package dev.sel4sim.system.assembly;

import dev.sel4sim.boards.MemoryRegion;
import dev.sel4sim.kernel.objects.ObjectType;
import dev.sel4sim.system.config.ReservedSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The untyped capabilities seL4 hands out at boot: free RAM (the board's banks minus the kernel's
 * own reservation and firmware carve-outs) cut into the largest naturally aligned power-of-two
 * blocks, as the kernel does when it creates its boot untypeds. This is why a large region can fail
 * although enough memory is free in total: no single block is big enough.
 */
public final class UntypedLayout {
    /** One boot untyped. */
    public record Block(String name, long paddr, int sizeBits) {
        public long size() {
            return 1L << sizeBits;
        }
    }

    private UntypedLayout() {
    }

    public static List<Block> compute(List<MemoryRegion> ram, long kernelReserved, List<ReservedSpec> reserved) {
        List<long[]> holes = new ArrayList<>();
        MemoryRegion first = ram.stream().min(Comparator.comparingLong(MemoryRegion::base)).orElseThrow();
        if (kernelReserved > 0) {
            holes.add(new long[]{first.base(), first.base() + kernelReserved});
        }
        for (ReservedSpec r : reserved) {
            holes.add(new long[]{r.base(), r.end()});
        }
        holes.sort(Comparator.comparingLong(h -> h[0]));
        List<Block> out = new ArrayList<>();
        for (MemoryRegion bank : ram.stream().sorted(Comparator.comparingLong(MemoryRegion::base)).toList()) {
            long cur = bank.base();
            for (long[] h : holes) {
                if (h[1] <= cur || h[0] >= bank.end()) {
                    continue;
                }
                split(cur, Math.min(h[0], bank.end()), out);
                cur = Math.max(cur, h[1]);
            }
            split(cur, bank.end(), out);
        }
        return out;
    }

    private static void split(long start, long end, List<Block> out) {
        long cur = start;
        while (end - cur >= (1L << ObjectType.MIN_UNTYPED_BITS)) {
            int align = cur == 0 ? ObjectType.MAX_UNTYPED_BITS : Long.numberOfTrailingZeros(cur);
            int fit = 63 - Long.numberOfLeadingZeros(end - cur);
            int bits = Math.min(Math.min(align, fit), ObjectType.MAX_UNTYPED_BITS);
            if (bits < ObjectType.MIN_UNTYPED_BITS) {
                cur += 1L << bits;
                continue;
            }
            out.add(new Block("ut" + out.size(), cur, bits));
            cur += 1L << bits;
        }
    }
}
