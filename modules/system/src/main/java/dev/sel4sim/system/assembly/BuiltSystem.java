package dev.sel4sim.system.assembly;

import dev.sel4sim.kernel.Kernel;
import dev.sel4sim.kernel.boot.Loader;
import dev.sel4sim.system.config.SystemSpec;
import java.util.List;
import java.util.Map;

/**
 * A system whose kernel objects and capability distribution exist; nothing runs yet.
 *
 * @param crossVm the cross-VM connections, linked to their VMs when those are built
 */
public record BuiltSystem(SystemSpec spec, Kernel kernel, Loader loader, Map<String, PlannedComponent> components,
                          List<UntypedLayout.Block> untypeds, List<String> regionPlacements, CrossVmLinks crossVm) {
    /** A system without cross-VM connections. */
    public BuiltSystem(SystemSpec spec, Kernel kernel, Loader loader, Map<String, PlannedComponent> components,
                       List<UntypedLayout.Block> untypeds, List<String> regionPlacements) {
        this(spec, kernel, loader, components, untypeds, regionPlacements, CrossVmLinks.none());
    }

    public BuiltSystem {
        components = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(components));
        untypeds = List.copyOf(untypeds);
        regionPlacements = List.copyOf(regionPlacements);
    }
}
