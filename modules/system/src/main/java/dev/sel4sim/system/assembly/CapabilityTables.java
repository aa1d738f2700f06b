package dev.sel4sim.system.assembly;

import dev.sel4sim.kernel.Sizes;
import dev.sel4sim.kernel.cap.Cap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders a built system's capability distribution: one table per component. */
public final class CapabilityTables {
    private CapabilityTables() {
    }

    public static List<CapRow> rows(PlannedComponent p) {
        Map<Long, String> names = new java.util.HashMap<>();
        p.wiring().caps().forEach((n, c) -> names.put(c, n));
        List<CapRow> rows = new ArrayList<>();
        var cnode = p.view().cnode();
        for (int i = 0; i < cnode.size(); i++) {
            Cap c = cnode.slot(i).cap();
            if (c != null) {
                String name = i == 1 ? "(own TCB)" : i == 2 ? "(own CNode)" : names.getOrDefault((long) i, "");
                rows.add(new CapRow(i, c.object().typeLabel() + " " + c.object().name(), c.rights().toString(), c.badge(), name));
            }
        }
        return rows;
    }

    public static String render(BuiltSystem b) {
        StringBuilder out = new StringBuilder();
        var s = b.spec();
        out.append(String.format("system %s on %s (%s), %d core%s, %s kernel%n", s.name(), s.board().id(), s.board().architecture().configName(),
                s.cores(), s.cores() == 1 ? "" : "s", s.mcs() ? "MCS" : "non-MCS"));
        long free = b.untypeds().stream().mapToLong(UntypedLayout.Block::size).sum();
        long largest = b.untypeds().stream().mapToLong(UntypedLayout.Block::size).max().orElse(0);
        out.append(String.format("boot untypeds: %d, %s in total, largest %s%n", b.untypeds().size(), Sizes.human(free), Sizes.human(largest)));
        for (String r : b.regionPlacements()) {
            out.append("memory region ").append(r).append('\n');
        }
        for (PlannedComponent p : b.components().values()) {
            var c = p.spec();
            out.append('\n').append(String.format("component %s (kind %s, core %d, priority %d%s, supervision %s)%n", c.name(), c.kind(), c.core(),
                    c.priority(), c.hasBudget() ? String.format(", budget %d us / %d us", c.budgetNs() / 1000, c.periodNs() / 1000) : "",
                    c.supervision().name().toLowerCase()));
            out.append(String.format("  %4s  %-34s  %-6s  %-10s  %s%n", "slot", "object", "rights", "badge", "connection"));
            for (CapRow r : rows(p)) {
                out.append(String.format("  %4d  %-34s  %-6s  %-10s  %s%n", r.slot(), r.object(), r.rights(),
                        r.badge() == 0 ? "-" : "0x" + Long.toHexString(r.badge()), r.name()));
            }
            for (String m : p.mappedRegions()) {
                out.append("  mapped: ").append(m).append('\n');
            }
        }
        return out.toString();
    }
}
