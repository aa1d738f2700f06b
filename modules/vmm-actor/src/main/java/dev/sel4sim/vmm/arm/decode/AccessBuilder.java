package dev.sel4sim.vmm.arm.decode;

/** Collects the fields of a {@link MemoryAccess} while a decoder reads an encoding. */
final class AccessBuilder {
    private final String mnemonic;
    private final AccessKind kind;
    private boolean simd;
    private int elementSize = 1;
    private int elementCount = 1;
    private int registerCount = 1;
    private int registerWidth = 64;
    private boolean signExtend;
    private boolean acquire;
    private boolean release;
    private boolean exclusive;
    private boolean pair;
    private boolean unprivileged;
    private int lane = -1;
    private boolean replicate;
    private AtomicOp atomicOp = AtomicOp.NONE;
    private CacheOp cacheOp = CacheOp.NONE;
    private Addressing addressing;
    private int rt;
    private int rt2 = -1;
    private int rs = -1;

    AccessBuilder(String mnemonic, AccessKind kind) {
        this.mnemonic = mnemonic;
        this.kind = kind;
    }

    AccessBuilder simd(boolean value) { simd = value; return this; }
    AccessBuilder size(int bytes) { elementSize = bytes; return this; }
    AccessBuilder count(int elements) { elementCount = elements; return this; }
    AccessBuilder registers(int count) { registerCount = count; return this; }
    AccessBuilder width(int bits) { registerWidth = bits; return this; }
    AccessBuilder signExtend(boolean value) { signExtend = value; return this; }
    AccessBuilder acquire(boolean value) { acquire = value; return this; }
    AccessBuilder release(boolean value) { release = value; return this; }
    AccessBuilder exclusive(boolean value) { exclusive = value; return this; }
    AccessBuilder pair(boolean value) { pair = value; return this; }
    AccessBuilder unprivileged(boolean value) { unprivileged = value; return this; }
    AccessBuilder lane(int index) { lane = index; return this; }
    AccessBuilder replicate(boolean value) { replicate = value; return this; }
    AccessBuilder atomic(AtomicOp op) { atomicOp = op; return this; }
    AccessBuilder cache(CacheOp op) { cacheOp = op; return this; }
    AccessBuilder address(Addressing value) { addressing = value; return this; }
    AccessBuilder rt(int register) { rt = register; return this; }
    AccessBuilder rt2(int register) { rt2 = register; return this; }
    AccessBuilder rs(int register) { rs = register; return this; }

    MemoryAccess build() {
        return new MemoryAccess(mnemonic, kind, simd, elementSize, elementCount, registerCount,
                registerWidth, signExtend, acquire, release, exclusive, pair, unprivileged, lane, replicate,
                atomicOp, cacheOp, addressing, rt, rt2, rs);
    }
}
