package dev.sel4sim.system.assembly;

import dev.sel4sim.kernel.boot.CSpaceView;
import dev.sel4sim.servers.Wiring;
import dev.sel4sim.system.config.ComponentSpec;
import java.util.List;

/** A component with its kernel objects made and its capabilities placed, not yet running. */
public record PlannedComponent(ComponentSpec spec, CSpaceView view, Wiring wiring, List<String> mappedRegions) {
    public PlannedComponent {
        mappedRegions = List.copyOf(mappedRegions);
    }
}
