package dev.sel4sim.vmm.x86.decode;

import java.util.Objects;

/**
 * Decodes the instruction at a faulting instruction pointer into the memory access it makes.
 *
 * <p>Covered: MOV to and from memory (88, 89, 8A, 8B, C6 /0, C7 /0, A0-A3), MOVZX and MOVSX
 * (0F B6/B7/BE/BF), MOVD/MOVQ with XMM and MMX registers (0F 6E/7E, 66 0F 6E/7E/D6, F3 0F 7E), the
 * string moves MOVS, STOS and LODS with REP, and the read-modify-write forms Linux uses on device
 * memory: ADD/OR/ADC/SBB/AND/SUB/XOR/CMP (00-3B, 80-83), TEST (84, 85, F6 /0, F7 /0) and XCHG (86, 87),
 * with LOCK where the processor allows it. Anything else is {@link Unsupported}; encodings the
 * processor itself refuses are {@link InvalidInstruction}. Decoding never throws on any input.
 */
public final class X86Decoder {
    /** The architectural limit on instruction length. */
    public static final int MAX_LENGTH = 15;

    private X86Decoder() {
    }

    /**
     * Decodes one instruction.
     *
     * @param bytes the bytes at the instruction pointer; 15 are always enough, fewer are fine when the
     *     instruction is shorter
     * @param mode the code-segment size the guest runs in
     */
    public static DecodeResult decode(byte[] bytes, CpuMode mode) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(mode, "mode");
        InstructionBytes in = new InstructionBytes(bytes.clone());
        try {
            return new Instruction(in, mode).decode();
        } catch (InstructionBytes.Stop stop) {
            return stop.result;
        }
    }

    /** The state of one decoding: the prefixes and sizes that every form needs. */
    private static final class Instruction {
        private final InstructionBytes in;
        private final CpuMode mode;
        private Prefixes p;
        private int opsize;

        Instruction(InstructionBytes in, CpuMode mode) {
            this.in = in;
            this.mode = mode;
        }

        DecodeResult decode() {
            p = Prefixes.read(in, mode);
            opsize = p.operandSize(mode);
            int op = in.u8();
            if (op == 0x0f) {
                return twoByte(in.u8());
            }
            if (op < 0x40 && (op & 7) <= 3) {
                return arithmetic(op);
            }
            return switch (op) {
                case 0x80, 0x81, 0x83 -> group1(op);
                case 0x82 -> mode == CpuMode.BITS64 ? invalid("opcode 82 does not exist in 64-bit mode") : group1(op);
                case 0x84, 0x85 -> test(op);
                case 0x86, 0x87 -> exchange(op);
                case 0x88, 0x89, 0x8a, 0x8b -> move(op);
                case 0xa0, 0xa1, 0xa2, 0xa3 -> moveOffset(op);
                case 0xa4, 0xa5 -> string(Operation.MOVS, op);
                case 0xaa, 0xab -> string(Operation.STOS, op);
                case 0xac, 0xad -> string(Operation.LODS, op);
                case 0xc6, 0xc7 -> moveImmediate(op);
                case 0xf6, 0xf7 -> testImmediate(op);
                default -> unsupported(String.format("opcode %02x", op));
            };
        }

        private DecodeResult twoByte(int op) {
            return switch (op) {
                case 0xb6, 0xb7 -> extend(op, Extension.ZERO, Operation.MOVZX);
                case 0xbe, 0xbf -> extend(op, Extension.SIGN, Operation.MOVSX);
                case 0x6e, 0x7e, 0xd6 -> vector(op);
                default -> unsupported(String.format("opcode 0f %02x", op));
            };
        }

        /** 00-3B: the eight ALU operations, each with Eb,Gb / Ev,Gv / Gb,Eb / Gv,Ev. */
        private DecodeResult arithmetic(int op) {
            Operation operation = Operation.group1(op >> 3);
            boolean bytes = (op & 1) == 0;
            boolean memoryDestination = (op & 2) == 0;
            ModRm m = memory(operation.name());
            int size = bytes ? 1 : opsize;
            Gpr reg = register(m.reg(), size);
            if (memoryDestination) {
                AccessKind kind = operation.onlySetsFlags() ? AccessKind.READ : AccessKind.READ_WRITE;
                checkLock(kind == AccessKind.READ_WRITE);
                return access(operation, kind, size, reg, false, m.address());
            }
            checkLock(false);
            return access(operation, AccessKind.READ, size, reg, !operation.onlySetsFlags(), m.address());
        }

        /** 80, 81, 82, 83: ALU operation with an immediate on memory. */
        private DecodeResult group1(int op) {
            ModRm m = memory("group 1");
            Operation operation = Operation.group1(m.opcodeExtension());
            int size = op == 0x81 || op == 0x83 ? opsize : 1;
            Immediate imm = immediate(op == 0x81 ? immediateSize(size) : 1, size);
            AccessKind kind = operation.onlySetsFlags() ? AccessKind.READ : AccessKind.READ_WRITE;
            checkLock(kind == AccessKind.READ_WRITE);
            return access(operation, kind, size, imm, false, m.address());
        }

        private DecodeResult test(int op) {
            ModRm m = memory("TEST");
            int size = op == 0x84 ? 1 : opsize;
            checkLock(false);
            return access(Operation.TEST, AccessKind.READ, size, register(m.reg(), size), false, m.address());
        }

        private DecodeResult testImmediate(int op) {
            ModRm m = memory("group 3");
            if (m.opcodeExtension() != 0) {
                return unsupported(String.format("opcode %02x /%d", op, m.opcodeExtension()));
            }
            int size = op == 0xf6 ? 1 : opsize;
            Immediate imm = immediate(op == 0xf6 ? 1 : immediateSize(size), size);
            checkLock(false);
            return access(Operation.TEST, AccessKind.READ, size, imm, false, m.address());
        }

        private DecodeResult exchange(int op) {
            ModRm m = memory("XCHG");
            int size = op == 0x86 ? 1 : opsize;
            // XCHG with memory is locked whether or not the prefix is there.
            return new MemoryAccess(Operation.XCHG, AccessKind.READ_WRITE, size, register(m.reg(), size), true,
                    Extension.NONE, m.address(), Rep.NONE, true, in.position(), mode);
        }

        private DecodeResult move(int op) {
            ModRm m = memory("MOV");
            int size = (op & 1) == 0 ? 1 : opsize;
            boolean load = (op & 2) != 0;
            checkLock(false);
            return access(Operation.MOV, load ? AccessKind.READ : AccessKind.WRITE, size, register(m.reg(), size),
                    load, m.address());
        }

        private DecodeResult moveImmediate(int op) {
            ModRm m = memory("MOV");
            if (m.opcodeExtension() != 0) {
                return unsupported(String.format("opcode %02x /%d", op, m.opcodeExtension()));
            }
            int size = op == 0xc6 ? 1 : opsize;
            Immediate imm = immediate(op == 0xc6 ? 1 : immediateSize(size), size);
            checkLock(false);
            return access(Operation.MOV, AccessKind.WRITE, size, imm, false, m.address());
        }

        /** A0-A3: MOV between the accumulator and an absolute offset as wide as the address size. */
        private DecodeResult moveOffset(int op) {
            int size = (op & 1) == 0 ? 1 : opsize;
            int addressSize = p.addressSize(mode);
            long offset = in.unsigned(addressSize);
            Segment segment = p.segment() != null ? p.segment() : Segment.DS;
            Address address = new Address(segment, p.segment() != null, Address.NONE, Address.NONE, 1, offset,
                    addressSize);
            boolean load = op <= 0xa1;
            checkLock(false);
            return access(Operation.MOV, load ? AccessKind.READ : AccessKind.WRITE, size, new Gpr(Gpr.RAX, size, false),
                    load, address);
        }

        private DecodeResult extend(int op, Extension extension, Operation operation) {
            ModRm m = memory(operation.name());
            int size = (op & 1) == 0 ? 1 : 2;
            checkLock(false);
            return new MemoryAccess(operation, AccessKind.READ, size, new Gpr(m.reg(), opsize, false), true,
                    extension, m.address(), Rep.NONE, false, in.position(), mode);
        }

        /**
         * 0F 6E, 0F 7E, 0F D6 with their mandatory prefixes. F3 or F2 decides over 66 when both are there,
         * and REX.W widens MOVD to MOVQ.
         */
        private DecodeResult vector(int op) {
            Rep mandatory = p.rep();
            boolean xmm = p.operandSizeOverride();
            boolean wide = p.rexW();
            AccessKind kind;
            int size;
            if (op == 0x7e && mandatory == Rep.REP) {
                kind = AccessKind.READ;
                size = 8;
                xmm = true;
            } else if (mandatory != Rep.NONE) {
                return unsupported(String.format("opcode %s 0f %02x", mandatory == Rep.REP ? "f3" : "f2", op));
            } else if (op == 0xd6) {
                if (!xmm) {
                    return unsupported("opcode 0f d6 without 66");
                }
                kind = AccessKind.WRITE;
                size = 8;
            } else {
                kind = op == 0x6e ? AccessKind.READ : AccessKind.WRITE;
                size = wide ? 8 : 4;
            }
            ModRm m = memory("MOVD/MOVQ");
            checkLock(false);
            Operation operation = size == 8 ? Operation.MOVQ : Operation.MOVD;
            VectorRegister reg = new VectorRegister(xmm ? m.reg() : m.reg() & 7, xmm);
            boolean load = kind == AccessKind.READ;
            return new MemoryAccess(operation, kind, size, reg, load, load ? Extension.ZERO : Extension.NONE,
                    m.address(), Rep.NONE, false, in.position(), mode);
        }

        /** MOVS, STOS and LODS: rSI is the source in DS (or the override), rDI the destination in ES. */
        private DecodeResult string(Operation operation, int op) {
            int size = (op & 1) == 0 ? 1 : opsize;
            int addressSize = p.addressSize(mode);
            Segment sourceSegment = p.segment() != null ? p.segment() : Segment.DS;
            Address source = new Address(sourceSegment, p.segment() != null, Gpr.RSI, Address.NONE, 1, 0, addressSize);
            Address destination = new Address(Segment.ES, false, Gpr.RDI, Address.NONE, 1, 0, addressSize);
            Gpr accumulator = new Gpr(Gpr.RAX, size, false);
            checkLock(false);
            int length = in.position();
            return switch (operation) {
                case MOVS -> new MemoryAccess(operation, AccessKind.COPY, size, new MemoryOperand(destination), false,
                        Extension.NONE, source, p.rep(), false, length, mode);
                case STOS -> new MemoryAccess(operation, AccessKind.WRITE, size, accumulator, false, Extension.NONE,
                        destination, p.rep(), false, length, mode);
                default -> new MemoryAccess(operation, AccessKind.READ, size, accumulator, true, Extension.NONE,
                        source, p.rep(), false, length, mode);
            };
        }

        private MemoryAccess access(Operation operation, AccessKind kind, int size, Operand operand,
                                    boolean operandWritten, Address address) {
            return new MemoryAccess(operation, kind, size, operand, operandWritten, Extension.NONE, address,
                    Rep.NONE, p.lock(), in.position(), mode);
        }

        /** Reads ModRM and insists on a memory operand: a register form cannot have caused a memory exit. */
        private ModRm memory(String what) {
            ModRm m = ModRm.read(in, p, mode);
            if (!m.isMemory()) {
                throw new InstructionBytes.Stop(new Unsupported(in.consumed(),
                        what + " with a register operand accesses no memory"));
            }
            return m;
        }

        /** The processor accepts LOCK only on a read-modify-write of memory. */
        private void checkLock(boolean lockable) {
            if (p.lock() && !lockable) {
                throw new InstructionBytes.Stop(new InvalidInstruction(in.consumed(), InvalidInstruction.UD,
                        "LOCK prefix on an instruction that does not read-modify-write memory"));
            }
        }

        /** A register operand of ModRM.reg; without REX, byte registers 4-7 are AH, CH, DH and BH. */
        private Gpr register(int number, int size) {
            if (size == 1 && p.rex() == 0 && number >= 4 && number <= 7) {
                return new Gpr(number - 4, 1, true);
            }
            return new Gpr(number, size, false);
        }

        /** Iz: 16 bits for 16-bit operands, otherwise 32 (sign-extended to 64 under REX.W). */
        private static int immediateSize(int operandSize) {
            return operandSize == 2 ? 2 : 4;
        }

        private Immediate immediate(int bytes, int operandSize) {
            return new Immediate(in.signed(bytes) & Gpr.mask(operandSize));
        }

        private DecodeResult unsupported(String what) {
            return new Unsupported(in.consumed(), what + " is not an emulated memory access");
        }

        private DecodeResult invalid(String why) {
            return new InvalidInstruction(in.consumed(), InvalidInstruction.UD, why);
        }
    }
}
