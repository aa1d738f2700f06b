package dev.sel4sim.vmm.arm.decode;

/** What {@link MemoryAccessDecoder#decode(int)} found in one instruction word. */
public sealed interface DecodeResult permits MemoryAccess, NotMemoryAccess, Unsupported {}
