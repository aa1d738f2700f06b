package dev.sel4sim.system.assembly;

/** One row of a component's capability table, as {@code sel4sim check} prints it. */
public record CapRow(int slot, String object, String rights, long badge, String name) {}
