package dev.sel4sim.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A VM's counters summed over its VCPUs, read from its stats line ({@code ArmVm.stats()}):
 * guest instructions, exits to the VMM, injected IRQs and WFE/YIELD preemptions.
 */
record VmCounters(long instructions, long exits, long irqs, long yields) {
    // The line groups digits by the default locale: accept any separator.
    private static final String N = "(\\d[^ ]*)";
    private static final Pattern VCPU = Pattern.compile(
            "vcpu\\d+ " + N + " instructions, " + N + " exits, " + N + " IRQs, " + N + " timer/MPIDR accesses, " + N + " WFE/YIELD yields");

    static VmCounters parse(String stats) {
        Matcher m = VCPU.matcher(stats);
        long insns = 0;
        long exits = 0;
        long irqs = 0;
        long yields = 0;
        int vcpus = 0;
        while (m.find()) {
            insns += number(m.group(1));
            exits += number(m.group(2));
            irqs += number(m.group(3));
            yields += number(m.group(5));
            vcpus++;
        }
        if (vcpus == 0) {
            throw new IllegalArgumentException("not a VM stats line: " + stats);
        }
        return new VmCounters(insns, exits, irqs, yields);
    }

    VmCounters minus(VmCounters earlier) {
        return new VmCounters(instructions - earlier.instructions, exits - earlier.exits, irqs - earlier.irqs,
                yields - earlier.yields);
    }

    private static long number(String s) {
        return Long.parseLong(s.replaceAll("\\D", ""));
    }
}
