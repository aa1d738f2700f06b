package dev.sel4sim.system.assembly;

import dev.sel4sim.kernel.Kernel;
import dev.sel4sim.kernel.boot.Loader;
import dev.sel4sim.system.config.SystemSpec;
import java.util.List;
import java.util.Map;

/** A system whose kernel objects and capability distribution exist; nothing runs yet. */
public record BuiltSystem(SystemSpec spec, Kernel kernel, Loader loader, Map<String, PlannedComponent> components,
                          List<UntypedLayout.Block> untypeds, List<String> regionPlacements) {
    public BuiltSystem {
        components = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(components));
        untypeds = List.copyOf(untypeds);
        regionPlacements = List.copyOf(regionPlacements);
    }
}
