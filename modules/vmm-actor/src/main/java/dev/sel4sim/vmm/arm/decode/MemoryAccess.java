package dev.sel4sim.vmm.arm.decode;

import java.util.Objects;

/**
 * One decoded memory access of an A64 instruction.
 *
 * @param mnemonic the instruction's base mnemonic (LDRSW, LDADDAL, ST4, DC ZVA, ...), for logs
 * @param kind load, store, atomic (both read and write), cache maintenance or DC ZVA
 * @param simd true when the transfer registers are SIMD&amp;FP V registers
 * @param elementSize bytes per element; for DC ZVA the block size, for other cache maintenance 1
 * @param elementCount elements moved; 1 for a single register, 2 for a pair, lanes times registers for
 *     LD1-4/ST1-4 multiple structures, the structure count for single-structure forms
 * @param registerCount transfer registers involved (1 to 4); consecutive from {@code rt}, wrapping at 31
 *     for SIMD structures
 * @param registerWidth width in bits of each transfer register as written: 32 (W) or 64 (X) for general
 *     registers, 8 to 128 for a scalar SIMD&amp;FP register, 64 or 128 for a vector arrangement
 * @param signExtend true for LDRSB/LDRSH/LDRSW and their variants: the value is sign-extended to
 *     {@code registerWidth}
 * @param acquire load-acquire semantics (LDAR, LDAXR, LDAPR, the A forms of atomics)
 * @param release store-release semantics (STLR, STLXR, the L forms of atomics)
 * @param exclusive a load/store exclusive (LDXR, STXR, LDXP, ...)
 * @param pair two registers to consecutive locations (LDP, STP, LDNP, LDXP, CASP, ...)
 * @param unprivileged LDTR/STTR family: permission-checked as if from EL0
 * @param lane for single-structure SIMD forms the lane index, otherwise -1
 * @param replicate LD1R-LD4R: one structure loaded into all lanes
 * @param atomicOp the read-modify-write operation of an atomic, otherwise {@link AtomicOp#NONE}
 * @param cacheOp the cache maintenance instruction, otherwise {@link CacheOp#NONE}
 * @param addressing how the address is formed
 * @param rt first transfer register (31 = XZR/WZR for general registers; DC/IC operand register)
 * @param rt2 second transfer register of a pair, otherwise -1
 * @param rs status register of a store exclusive, compare register of CAS/CASP, source register of
 *     LD&lt;op&gt;/SWP, otherwise -1
 */
public record MemoryAccess(
        String mnemonic,
        AccessKind kind,
        boolean simd,
        int elementSize,
        int elementCount,
        int registerCount,
        int registerWidth,
        boolean signExtend,
        boolean acquire,
        boolean release,
        boolean exclusive,
        boolean pair,
        boolean unprivileged,
        int lane,
        boolean replicate,
        AtomicOp atomicOp,
        CacheOp cacheOp,
        Addressing addressing,
        int rt,
        int rt2,
        int rs) implements DecodeResult {

    public MemoryAccess {
        Objects.requireNonNull(mnemonic, "mnemonic");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(atomicOp, "atomicOp");
        Objects.requireNonNull(cacheOp, "cacheOp");
        Objects.requireNonNull(addressing, "addressing");
        if (elementSize <= 0 || elementCount <= 0) {
            throw new IllegalArgumentException("element size and count must be positive");
        }
    }

    /** Bytes of memory covered: element size times element count (the whole block for DC ZVA). */
    public int totalSize() {
        return elementSize * elementCount;
    }

    /** True when the instruction reads memory (loads and atomics). */
    public boolean isRead() {
        return kind.reads();
    }

    /** True when the instruction writes memory (stores, atomics, DC ZVA). Cache maintenance is neither. */
    public boolean isWrite() {
        return kind.writes();
    }

    /** The base register (31 = SP), -1 for a literal, the operand register for DC/IC. */
    public int baseRegister() {
        return addressing.baseRegister();
    }

    /**
     * Alignment in bytes that the architecture demands whatever SCTLR_EL1.A says (without FEAT_LSE2):
     * exclusives, atomics and load-acquire/store-release need their whole access naturally aligned.
     * Returns 1 when only SCTLR_EL1.A or the memory type could demand alignment.
     */
    public int requiredAlignment() {
        if (exclusive || kind == AccessKind.ATOMIC || acquire || release) {
            return totalSize();
        }
        return 1;
    }

    /**
     * The value a general-register load writes into Xt, given the little-endian value read from memory:
     * truncated to the element size, sign-extended when the instruction says so, and zero-extended above
     * a W destination.
     */
    public long registerValueFor(long memoryValue) {
        int bits = elementSize * 8;
        long value = bits >= 64 ? memoryValue : memoryValue & ((1L << bits) - 1);
        if (signExtend && bits < 64) {
            value = (value << (64 - bits)) >> (64 - bits);
        }
        if (registerWidth == 32) {
            value &= 0xFFFF_FFFFL;
        }
        return value;
    }

    /** The bytes a general-register store writes, as a little-endian value truncated to the element size. */
    public long memoryValueFor(long registerValue) {
        int bits = elementSize * 8;
        return bits >= 64 ? registerValue : registerValue & ((1L << bits) - 1);
    }
}
