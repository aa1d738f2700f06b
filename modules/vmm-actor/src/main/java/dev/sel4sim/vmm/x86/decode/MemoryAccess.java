package dev.sel4sim.vmm.x86.decode;

import java.util.Objects;
import java.util.Optional;

/**
 * One decoded instruction that accesses memory.
 *
 * @param operation what the instruction does
 * @param kind direction of the access at {@link #address}
 * @param size bytes accessed in memory (1, 2, 4 or 8)
 * @param operand the other side: a register, an immediate, or the MOVS destination
 * @param operandWritten true when the instruction writes the register operand (loads, arithmetic
 *     with a register destination, XCHG, LODS)
 * @param extension how a loaded value widens to a larger register operand
 * @param address how the memory address is formed
 * @param rep repeat prefix of a string instruction; {@link Rep#NONE} otherwise
 * @param lock a LOCK prefix is present, or the instruction is XCHG (always locked)
 * @param length instruction length in bytes, prefixes included: RIP advances by this much
 * @param mode the mode the bytes were decoded in
 */
public record MemoryAccess(
        Operation operation,
        AccessKind kind,
        int size,
        Operand operand,
        boolean operandWritten,
        Extension extension,
        Address address,
        Rep rep,
        boolean lock,
        int length,
        CpuMode mode) implements DecodeResult {

    public MemoryAccess {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(operand, "operand");
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(rep, "rep");
        Objects.requireNonNull(mode, "mode");
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("access size " + size);
        }
        if (length < 1 || length > X86Decoder.MAX_LENGTH) {
            throw new IllegalArgumentException("instruction length " + length);
        }
    }

    /** True for MOVS, STOS and LODS. */
    public boolean isString() {
        return operation == Operation.MOVS || operation == Operation.STOS || operation == Operation.LODS;
    }

    /**
     * The register a REP-prefixed string instruction counts down: CX, ECX or RCX by address size.
     * Empty without a repeat prefix.
     */
    public Optional<Gpr> countRegister() {
        if (!isString() || rep == Rep.NONE) {
            return Optional.empty();
        }
        return Optional.of(new Gpr(Gpr.RCX, address.addressSize(), false));
    }

    /**
     * The full general register after a load, given its old value and the little-endian value read
     * from memory: extended as the instruction says and merged as the register width demands.
     *
     * @throws IllegalStateException when the operand is not a general register
     */
    public long loadedRegister(long oldRegister, long memoryValue) {
        if (!(operand instanceof Gpr gpr)) {
            throw new IllegalStateException(operation + " has no general-register operand: " + operand);
        }
        long value = memoryValue & Gpr.mask(size);
        if (extension == Extension.SIGN && size < 8) {
            int shift = 64 - size * 8;
            value = (value << shift) >> shift;
        }
        return gpr.merge(oldRegister, value);
    }

    /** A compact form such as {@code MOV WRITE 4 ds:[eax+0x10] 0x1 len=7}, for logs. */
    @Override
    public String toString() {
        return operation + " " + kind + " " + size + " " + address + " " + operand
                + (operandWritten ? " written" : "") + (extension == Extension.NONE ? "" : " " + extension)
                + (rep == Rep.NONE ? "" : " " + rep) + (lock ? " LOCK" : "") + " len=" + length;
    }
}
