/**
 * Decoding of the x86 instructions that touch emulated memory-mapped devices.
 *
 * <p>An EPT violation (or an MMIO callback) tells the VMM the guest-physical address but not what the
 * instruction wanted to do with it. {@link dev.sel4sim.vmm.x86.decode.X86Decoder} reads the bytes at the
 * faulting instruction pointer and reports the access: direction, size, the register, vector register or
 * immediate on the other side, extension, string-instruction repetition and the instruction length, so
 * the VMM can perform the access on the device, write back the result and step past the instruction.
 * {@link dev.sel4sim.vmm.x86.decode.Alu} computes the value and flags of the read-modify-write forms.
 * Encodings follow the Intel SDM volume 2 (opcode map in appendix A, ModR/M and SIB in section 2.1).
 */
package dev.sel4sim.vmm.x86.decode;
