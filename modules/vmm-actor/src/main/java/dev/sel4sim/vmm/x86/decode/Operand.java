package dev.sel4sim.vmm.x86.decode;

/** The other side of a memory access: where a stored value comes from or a loaded value goes. */
public sealed interface Operand permits Gpr, VectorRegister, Immediate, MemoryOperand {}
