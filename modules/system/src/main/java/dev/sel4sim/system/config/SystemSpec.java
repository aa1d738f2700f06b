package dev.sel4sim.system.config;

import dev.sel4sim.boards.Board;
import dev.sel4sim.kernel.sched.Timeline;
import java.util.List;
import java.util.Optional;

/** A whole system as its HOCON file describes it, checked and immutable. */
public record SystemSpec(String file, String name, String description, Board board, int cores, boolean mcs,
                         Timeline.Mode clock, long durationNs, long kernelReserved, List<ReservedSpec> reserved,
                         List<ComponentSpec> components, List<DeviceSpec> devices,
                         List<ConnectionSpec> connections, List<MemoryRegionSpec> memoryRegions, List<VmSpec> vms) {
    public SystemSpec {
        reserved = List.copyOf(reserved);
        components = List.copyOf(components);
        devices = List.copyOf(devices);
        connections = List.copyOf(connections);
        memoryRegions = List.copyOf(memoryRegions);
        vms = List.copyOf(vms);
    }

    public Optional<ComponentSpec> component(String n) {
        return components.stream().filter(c -> c.name().equals(n)).findFirst();
    }
}
