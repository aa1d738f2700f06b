package dev.sel4sim.system.config;

import java.util.List;

/**
 * A memory region as the Microkit tool allocates one: physically contiguous, carved out of a
 * single untyped, mapped into the listed components.
 */
public record MemoryRegionSpec(String name, long size, long pageSize, List<String> mappedBy, int line) {}
