package dev.sel4sim.vmm.x86.decode;

/** What {@link X86Decoder#decode} found at the faulting instruction pointer. */
public sealed interface DecodeResult permits MemoryAccess, Unsupported, InvalidInstruction {}
