package dev.sel4sim.boards;

/** A board's timers: the ARM {@link GenericTimer}, or the x86 {@link X86Timers}. */
public sealed interface Timer permits GenericTimer, X86Timers {
}
