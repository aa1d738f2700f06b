package dev.sel4sim.vmm.arm.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table of real A64 encodings and what each accesses. The words were produced by an assembler (LLVM's
 * AArch64 back end) from the assembly in the second column, and the expected column was written from the
 * assembly's meaning, not from the decoder: it is the reference the decoder must agree with.
 *
 * <p>Expected format: KIND MNEMONIC size=bytes-per-element n=elements regs=registers w=register-bits
 * rt=.. [rt2=..] [rs=..] address [flags]. Addresses: off(base,offset), pre(..), post(..),
 * postreg(base,index), reg(base,index,extend,shift), lit(offset), sys(register); base 31 is SP.
 */
class MemoryAccessDecoderTest {

    static Stream<Arguments> table() {
        return Stream.of(
            // The encodings given with the task, each checked against the field layout:
            // f9400020 = size 11 | 111 0 01 | opc 01 | imm12 0 | Rn 1 | Rt 0
            row(0xf9400020, "ldr x0, [x1]", "LOAD LDR size=8 n=1 regs=1 w=64 rt=0 off(1,0)"),
            // b9000462 = size 10 | 111 0 01 | opc 00 | imm12 1 (x4) | Rn 3 | Rt 2
            row(0xb9000462, "str w2, [x3, #4]", "STORE STR size=4 n=1 regs=1 w=32 rt=2 off(3,4)"),
            // a8c17bfd = opc 10 | 101 0 | 001 (post) | L 1 | imm7 2 (x8) | Rt2 30 | Rn 31 | Rt 29
            row(0xa8c17bfd, "ldp x29, x30, [sp], #16", "LOAD LDP size=8 n=2 regs=2 w=64 rt=29 rt2=30 post(31,16) pair"),
            // a9be7bfd = opc 10 | 101 0 | 011 (pre) | L 0 | imm7 -4 (x8) | Rt2 30 | Rn 31 | Rt 29
            row(0xa9be7bfd, "stp x29, x30, [sp, #-32]!", "STORE STP size=8 n=2 regs=2 w=64 rt=29 rt2=30 pre(31,-32) pair"),
            // 38626820 = size 00 | 111 0 00 | opc 01 | 1 | Rm 2 | option 011 | S 0 | 10 | Rn 1 | Rt 0
            row(0x38626820, "ldrb w0, [x1, x2]", "LOAD LDRB size=1 n=1 regs=1 w=32 rt=0 reg(1,2,UXTX,0)"),
            // 885ffc20 = size 10 | 001000 | o2 0 L 1 o1 0 | Rs 31 | o0 1 | Rt2 31 | Rn 1 | Rt 0
            row(0x885ffc20, "ldaxr w0, [x1]", "LOAD LDAXR size=4 n=1 regs=1 w=32 rt=0 off(1,0) acq excl"),
            // 8802fc20 = size 10 | 001000 | o2 0 L 0 o1 0 | Rs 2 | o0 1 | Rt2 31 | Rn 1 | Rt 0
            row(0x8802fc20, "stlxr w2, w0, [x1]", "STORE STLXR size=4 n=1 regs=1 w=32 rt=0 rs=2 off(1,0) rel excl"),
            // b8200041 = size 10 | 111 0 00 | A 0 R 0 | 1 | Rs 0 | o3 0 | opc 000 | 00 | Rn 2 | Rt 1
            row(0xb8200041, "ldadd w0, w1, [x2]", "ATOMIC LDADD size=4 n=1 regs=1 w=32 rt=1 rs=0 off(2,0) op=ADD"),
            // d50b7420 = SYS op1 3 | CRn 7 | CRm 4 | op2 1 | Rt 0
            row(0xd50b7420, "dc zva, x0", "ZERO_BLOCK DC ZVA size=64 n=1 regs=1 w=64 rt=0 sys(0) cache=DC_ZVA"),
            // 3dc00020 = size 00 | 111 1 01 | opc 11 (Q) | imm12 0 | Rn 1 | Rt 0
            row(0x3dc00020, "ldr q0, [x1]", "LOAD LDR size=16 n=1 regs=1 w=128 rt=0 off(1,0) simd"),

            // Single register, immediate forms
            row(0xb9800883, "ldrsw x3, [x4, #8]", "LOAD LDRSW size=4 n=1 regs=1 w=64 rt=3 off(4,8) signed"),
            row(0x38dffcc5, "ldrsb w5, [x6, #-1]!", "LOAD LDRSB size=1 n=1 regs=1 w=32 rt=5 pre(6,-1) signed"),
            row(0x78802507, "ldrsh x7, [x8], #2", "LOAD LDRSH size=2 n=1 regs=1 w=64 rt=7 post(8,2) signed"),
            row(0x795ffd49, "ldrh w9, [x10, #4094]", "LOAD LDRH size=2 n=1 regs=1 w=32 rt=9 off(10,4094)"),
            row(0x393fffeb, "strb w11, [sp, #4095]", "STORE STRB size=1 n=1 regs=1 w=32 rt=11 off(31,4095)"),
            row(0xb93ffc1f, "str wzr, [x0, #16380]", "STORE STR size=4 n=1 regs=1 w=32 rt=31 off(0,16380)"),
            row(0xf97ffc41, "ldr x1, [x2, #32760]", "LOAD LDR size=8 n=1 regs=1 w=64 rt=1 off(2,32760)"),
            row(0xf85001ac, "ldur x12, [x13, #-256]", "LOAD LDUR size=8 n=1 regs=1 w=64 rt=12 off(13,-256)"),
            row(0xb80ff1ee, "stur w14, [x15, #255]", "STORE STUR size=4 n=1 regs=1 w=32 rt=14 off(15,255)"),
            row(0xb89fc020, "ldursw x0, [x1, #-4]", "LOAD LDURSW size=4 n=1 regs=1 w=64 rt=0 off(1,-4) signed"),
            row(0x38401041, "ldurb w1, [x2, #1]", "LOAD LDURB size=1 n=1 regs=1 w=32 rt=1 off(2,1)"),
            row(0xf8408841, "ldtr x1, [x2, #8]", "LOAD LDTR size=8 n=1 regs=1 w=64 rt=1 off(2,8) unpriv"),
            row(0x38000883, "sttrb w3, [x4]", "STORE STTRB size=1 n=1 regs=1 w=32 rt=3 off(4,0) unpriv"),
            row(0x78dfe8c5, "ldtrsh w5, [x6, #-2]", "LOAD LDTRSH size=2 n=1 regs=1 w=32 rt=5 off(6,-2) signed unpriv"),
            row(0xb8804907, "ldtrsw x7, [x8, #4]", "LOAD LDTRSW size=4 n=1 regs=1 w=64 rt=7 off(8,4) signed unpriv"),
            row(0xf81f8be9, "sttr x9, [sp, #-8]", "STORE STTR size=8 n=1 regs=1 w=64 rt=9 off(31,-8) unpriv"),

            // Register offset
            row(0xf8627820, "ldr x0, [x1, x2, lsl #3]", "LOAD LDR size=8 n=1 regs=1 w=64 rt=0 reg(1,2,UXTX,3)"),
            row(0xb862d820, "ldr w0, [x1, w2, sxtw #2]", "LOAD LDR size=4 n=1 regs=1 w=32 rt=0 reg(1,2,SXTW,2)"),
            row(0xf8234be0, "str x0, [sp, w3, uxtw]", "STORE STR size=8 n=1 regs=1 w=64 rt=0 reg(31,3,UXTW,0)"),
            row(0xb8a2f820, "ldrsw x0, [x1, x2, sxtx #2]", "LOAD LDRSW size=4 n=1 regs=1 w=64 rt=0 reg(1,2,SXTX,2) signed"),
            row(0x78627820, "ldrh w0, [x1, x2, lsl #1]", "LOAD LDRH size=2 n=1 regs=1 w=32 rt=0 reg(1,2,UXTX,1)"),
            row(0x38a27820, "ldrsb x0, [x1, x2, lsl #0]", "LOAD LDRSB size=1 n=1 regs=1 w=64 rt=0 reg(1,2,UXTX,0) signed"),
            row(0xf87f6820, "ldr x0, [x1, xzr]", "LOAD LDR size=8 n=1 regs=1 w=64 rt=0 reg(1,31,UXTX,0)"),

            // Literal
            row(0x58000805, "ldr x5, #256", "LOAD LDR size=8 n=1 regs=1 w=64 rt=5 lit(256)"),
            row(0x18ffffc6, "ldr w6, #-8", "LOAD LDR size=4 n=1 regs=1 w=32 rt=6 lit(-8)"),
            row(0x98000027, "ldrsw x7, #4", "LOAD LDRSW size=4 n=1 regs=1 w=64 rt=7 lit(4) signed"),
            row(0x5c000081, "ldr d1, #16", "LOAD LDR size=8 n=1 regs=1 w=64 rt=1 lit(16) simd"),
            row(0x1cffffe2, "ldr s2, #-4", "LOAD LDR size=4 n=1 regs=1 w=32 rt=2 lit(-4) simd"),
            row(0x9c000103, "ldr q3, #32", "LOAD LDR size=16 n=1 regs=1 w=128 rt=3 lit(32) simd"),

            // Prefetches never fault
            row(0xd8000040, "prfm pldl1keep, #8", "NOT"),
            row(0xf9800000, "prfm pldl1keep, [x0]", "NOT"),
            row(0xf8a26833, "prfm pstl2strm, [x1, x2]", "NOT"),
            row(0xf89ff000, "prfum pldl1keep, [x0, #-1]", "NOT"),

            // Pairs
            row(0x697f0440, "ldpsw x0, x1, [x2, #-8]", "LOAD LDPSW size=4 n=2 regs=2 w=64 rt=0 rt2=1 off(2,-8) signed pair"),
            row(0x68c110a3, "ldpsw x3, x4, [x5], #8", "LOAD LDPSW size=4 n=2 regs=2 w=64 rt=3 rt2=4 post(5,8) signed pair"),
            row(0xa8410440, "ldnp x0, x1, [x2, #16]", "LOAD LDNP size=8 n=2 regs=2 w=64 rt=0 rt2=1 off(2,16) pair"),
            row(0x282013e3, "stnp w3, w4, [sp, #-256]", "STORE STNP size=4 n=2 regs=2 w=32 rt=3 rt2=4 off(31,-256) pair"),
            row(0x295f8440, "ldp w0, w1, [x2, #252]", "LOAD LDP size=4 n=2 regs=2 w=32 rt=0 rt2=1 off(2,252) pair"),
            row(0xadbe07e0, "stp q0, q1, [sp, #-64]!", "STORE STP size=16 n=2 regs=2 w=128 rt=0 rt2=1 pre(31,-64) simd pair"),
            row(0x6cc127e8, "ldp d8, d9, [sp], #16", "LOAD LDP size=8 n=2 regs=2 w=64 rt=8 rt2=9 post(31,16) simd pair"),
            row(0x2d410400, "ldp s0, s1, [x0, #8]", "LOAD LDP size=4 n=2 regs=2 w=32 rt=0 rt2=1 off(0,8) simd pair"),
            row(0xac5f8c82, "ldnp q2, q3, [x4, #1008]", "LOAD LDNP size=16 n=2 regs=2 w=128 rt=2 rt2=3 off(4,1008) simd pair"),

            // Exclusives and ordered
            row(0xc85f7c20, "ldxr x0, [x1]", "LOAD LDXR size=8 n=1 regs=1 w=64 rt=0 off(1,0) excl"),
            row(0x085f7c62, "ldxrb w2, [x3]", "LOAD LDXRB size=1 n=1 regs=1 w=32 rt=2 off(3,0) excl"),
            row(0x48047cc5, "stxrh w4, w5, [x6]", "STORE STXRH size=2 n=1 regs=1 w=32 rt=5 rs=4 off(6,0) excl"),
            row(0xc8007fe1, "stxr w0, x1, [sp]", "STORE STXR size=8 n=1 regs=1 w=64 rt=1 rs=0 off(31,0) excl"),
            row(0xc87f8440, "ldaxp x0, x1, [x2]", "LOAD LDAXP size=8 n=2 regs=2 w=64 rt=0 rt2=1 off(2,0) acq excl pair"),
            row(0xc82394c4, "stlxp w3, x4, x5, [x6]", "STORE STLXP size=8 n=2 regs=2 w=64 rt=4 rt2=5 rs=3 off(6,0) rel excl pair"),
            row(0x887f0440, "ldxp w0, w1, [x2]", "LOAD LDXP size=4 n=2 regs=2 w=32 rt=0 rt2=1 off(2,0) excl pair"),
            row(0x882314c4, "stxp w3, w4, w5, [x6]", "STORE STXP size=4 n=2 regs=2 w=32 rt=4 rt2=5 rs=3 off(6,0) excl pair"),
            row(0xc8dffc20, "ldar x0, [x1]", "LOAD LDAR size=8 n=1 regs=1 w=64 rt=0 off(1,0) acq"),
            row(0x08dffc20, "ldarb w0, [x1]", "LOAD LDARB size=1 n=1 regs=1 w=32 rt=0 off(1,0) acq"),
            row(0x889ffc62, "stlr w2, [x3]", "STORE STLR size=4 n=1 regs=1 w=32 rt=2 off(3,0) rel"),
            row(0x489fffe2, "stlrh w2, [sp]", "STORE STLRH size=2 n=1 regs=1 w=32 rt=2 off(31,0) rel"),
            row(0xc8df7c20, "ldlar x0, [x1]", "LOAD LDLAR size=8 n=1 regs=1 w=64 rt=0 off(1,0) acq"),
            row(0x889f7c20, "stllr w0, [x1]", "STORE STLLR size=4 n=1 regs=1 w=32 rt=0 off(1,0) rel"),
            row(0xf8bfc020, "ldapr x0, [x1]", "LOAD LDAPR size=8 n=1 regs=1 w=64 rt=0 off(1,0) acq"),
            row(0x38bfc020, "ldaprb w0, [x1]", "LOAD LDAPRB size=1 n=1 regs=1 w=32 rt=0 off(1,0) acq"),
            row(0xd95f8020, "ldapur x0, [x1, #-8]", "LOAD LDAPUR size=8 n=1 regs=1 w=64 rt=0 off(1,-8) acq"),
            row(0x19003020, "stlurb w0, [x1, #3]", "STORE STLURB size=1 n=1 regs=1 w=32 rt=0 off(1,3) rel"),
            row(0x99804020, "ldapursw x0, [x1, #4]", "LOAD LDAPURSW size=4 n=1 regs=1 w=64 rt=0 off(1,4) signed acq"),
            row(0x59c00020, "ldapursh w0, [x1]", "LOAD LDAPURSH size=2 n=1 regs=1 w=32 rt=0 off(1,0) signed acq"),

            // Compare-and-swap and LSE atomics
            row(0x88a07c41, "cas w0, w1, [x2]", "ATOMIC CAS size=4 n=1 regs=1 w=32 rt=1 rs=0 off(2,0) op=CAS"),
            row(0xc8e0ffe1, "casal x0, x1, [sp]", "ATOMIC CASAL size=8 n=1 regs=1 w=64 rt=1 rs=0 off(31,0) acq rel op=CAS"),
            row(0x08e07c41, "casab w0, w1, [x2]", "ATOMIC CASAB size=1 n=1 regs=1 w=32 rt=1 rs=0 off(2,0) acq op=CAS"),
            row(0x48a0fc41, "caslh w0, w1, [x2]", "ATOMIC CASLH size=2 n=1 regs=1 w=32 rt=1 rs=0 off(2,0) rel op=CAS"),
            row(0x48207c82, "casp x0, x1, x2, x3, [x4]", "ATOMIC CASP size=8 n=2 regs=2 w=64 rt=2 rt2=3 rs=0 off(4,0) pair op=CAS"),
            row(0x0864ffe6, "caspal w4, w5, w6, w7, [sp]", "ATOMIC CASPAL size=4 n=2 regs=2 w=32 rt=6 rt2=7 rs=4 off(31,0) acq rel pair op=CAS"),
            row(0xf8e00041, "ldaddal x0, x1, [x2]", "ATOMIC LDADDAL size=8 n=1 regs=1 w=64 rt=1 rs=0 off(2,0) acq rel op=ADD"),
            row(0x38201041, "ldclrb w0, w1, [x2]", "ATOMIC LDCLRB size=1 n=1 regs=1 w=32 rt=1 rs=0 off(2,0) op=CLR"),
            row(0x78202041, "ldeorh w0, w1, [x2]", "ATOMIC LDEORH size=2 n=1 regs=1 w=32 rt=1 rs=0 off(2,0) op=EOR"),
            row(0xf8a03041, "ldseta x0, x1, [x2]", "ATOMIC LDSETA size=8 n=1 regs=1 w=64 rt=1 rs=0 off(2,0) acq op=SET"),
            row(0xb8604041, "ldsmaxl w0, w1, [x2]", "ATOMIC LDSMAXL size=4 n=1 regs=1 w=32 rt=1 rs=0 off(2,0) rel op=SMAX"),
            row(0xf82350a4, "ldsmin x3, x4, [x5]", "ATOMIC LDSMIN size=8 n=1 regs=1 w=64 rt=4 rs=3 off(5,0) op=SMIN"),
            row(0xb8206041, "ldumax w0, w1, [x2]", "ATOMIC LDUMAX size=4 n=1 regs=1 w=32 rt=1 rs=0 off(2,0) op=UMAX"),
            row(0x38e07041, "lduminalb w0, w1, [x2]", "ATOMIC LDUMINALB size=1 n=1 regs=1 w=32 rt=1 rs=0 off(2,0) acq rel op=UMIN"),
            row(0xf8208041, "swp x0, x1, [x2]", "ATOMIC SWP size=8 n=1 regs=1 w=64 rt=1 rs=0 off(2,0) op=SWP"),
            row(0x78e08041, "swpalh w0, w1, [x2]", "ATOMIC SWPALH size=2 n=1 regs=1 w=32 rt=1 rs=0 off(2,0) acq rel op=SWP"),
            row(0xb820003f, "stadd w0, [x1] (LDADD with Rt=WZR)", "ATOMIC LDADD size=4 n=1 regs=1 w=32 rt=31 rs=0 off(1,0) op=ADD"),

            // SIMD&FP single register
            row(0x3d400420, "ldr b0, [x1, #1]", "LOAD LDR size=1 n=1 regs=1 w=8 rt=0 off(1,1) simd"),
            row(0x7c002c41, "str h1, [x2, #2]!", "STORE STR size=2 n=1 regs=1 w=16 rt=1 pre(2,2) simd"),
            row(0xbc5fc462, "ldr s2, [x3], #-4", "LOAD LDR size=4 n=1 regs=1 w=32 rt=2 post(3,-4) simd"),
            row(0xfd0007e3, "str d3, [sp, #8]", "STORE STR size=8 n=1 regs=1 w=64 rt=3 off(31,8) simd"),
            row(0x3dbffc04, "str q4, [x0, #65520]", "STORE STR size=16 n=1 regs=1 w=128 rt=4 off(0,65520) simd"),
            row(0x3cdff005, "ldur q5, [x0, #-1]", "LOAD LDUR size=16 n=1 regs=1 w=128 rt=5 off(0,-1) simd"),
            row(0x3ce27826, "ldr q6, [x1, x2, lsl #4]", "LOAD LDR size=16 n=1 regs=1 w=128 rt=6 reg(1,2,UXTX,4) simd"),
            row(0x3c22c827, "str b7, [x1, w2, sxtw]", "STORE STR size=1 n=1 regs=1 w=8 rt=7 reg(1,2,SXTW,0) simd"),

            // SIMD structures
            row(0x4c407000, "ld1 {v0.16b}, [x0]", "LOAD LD1 size=1 n=16 regs=1 w=128 rt=0 off(0,0) simd"),
            row(0x4cdfa000, "ld1 {v0.16b, v1.16b}, [x0], #32", "LOAD LD1 size=1 n=32 regs=2 w=128 rt=0 post(0,32) simd"),
            row(0x4c822c20, "st1 {v0.2d-v3.2d}, [x1], x2", "STORE ST1 size=8 n=8 regs=4 w=128 rt=0 postreg(1,2) simd"),
            row(0x4c400800, "ld4 {v0.4s-v3.4s}, [x0]", "LOAD LD4 size=4 n=16 regs=4 w=128 rt=0 off(0,0) simd"),
            row(0x0c0083e4, "st2 {v4.8b, v5.8b}, [sp]", "STORE ST2 size=1 n=16 regs=2 w=64 rt=4 off(31,0) simd"),
            row(0x0cdf4400, "ld3 {v0.4h-v2.4h}, [x0], #24", "LOAD LD3 size=2 n=12 regs=3 w=64 rt=0 post(0,24) simd"),
            row(0x0c40ac1f, "ld1 {v31.1d, v0.1d}, [x0]", "LOAD LD1 size=8 n=2 regs=2 w=64 rt=31 off(0,0) simd"),
            row(0x4d409000, "ld1 {v0.s}[3], [x0]", "LOAD LD1 size=4 n=1 regs=1 w=128 rt=0 off(0,0) simd lane=3"),
            row(0x4d9f1c21, "st1 {v1.b}[15], [x1], #1", "STORE ST1 size=1 n=1 regs=1 w=128 rt=1 post(1,1) simd lane=15"),
            row(0x4d604800, "ld2 {v0.h, v1.h}[5], [x0]", "LOAD LD2 size=2 n=2 regs=2 w=128 rt=0 off(0,0) simd lane=5"),
            row(0x4da5a400, "st4 {v0.d-v3.d}[1], [x0], x5", "STORE ST4 size=8 n=4 regs=4 w=128 rt=0 postreg(0,5) simd lane=1"),
            row(0x0ddfa000, "ld3 {v0.s-v2.s}[0], [x0], #12", "LOAD LD3 size=4 n=3 regs=3 w=128 rt=0 post(0,12) simd lane=0"),
            row(0x4d40c800, "ld1r {v0.4s}, [x0]", "LOAD LD1R size=4 n=1 regs=1 w=128 rt=0 off(0,0) simd repl"),
            row(0x0dffe000, "ld4r {v0.8b-v3.8b}, [x0], #4", "LOAD LD4R size=1 n=4 regs=4 w=64 rt=0 post(0,4) simd repl"),
            row(0x4de1cc00, "ld2r {v0.2d, v1.2d}, [x0], x1", "LOAD LD2R size=8 n=2 regs=2 w=128 rt=0 postreg(0,1) simd repl"),

            // Cache maintenance by VA
            row(0xd50b7e21, "dc civac, x1", "CACHE_MAINTENANCE DC CIVAC size=1 n=1 regs=1 w=64 rt=1 sys(1) cache=DC_CIVAC"),
            row(0xd50b7a22, "dc cvac, x2", "CACHE_MAINTENANCE DC CVAC size=1 n=1 regs=1 w=64 rt=2 sys(2) cache=DC_CVAC"),
            row(0xd50b7b23, "dc cvau, x3", "CACHE_MAINTENANCE DC CVAU size=1 n=1 regs=1 w=64 rt=3 sys(3) cache=DC_CVAU"),
            row(0xd5087624, "dc ivac, x4", "CACHE_MAINTENANCE DC IVAC size=1 n=1 regs=1 w=64 rt=4 sys(4) cache=DC_IVAC"),
            row(0xd50b7525, "ic ivau, x5", "CACHE_MAINTENANCE IC IVAU size=1 n=1 regs=1 w=64 rt=5 sys(5) cache=IC_IVAU"),
            row(0xd50b7c26, "dc cvap, x6", "CACHE_MAINTENANCE DC CVAP size=1 n=1 regs=1 w=64 rt=6 sys(6) cache=DC_CVAP"),
            row(0xd50b743f, "dc zva, xzr", "ZERO_BLOCK DC ZVA size=64 n=1 regs=1 w=64 rt=31 sys(31) cache=DC_ZVA"),

            // Not accesses
            row(0xd5087640, "dc isw, x0", "NOT"),
            row(0xd508751f, "ic iallu", "NOT"),
            row(0xd5087800, "at s1e1r, x0", "NOT"),
            row(0xd508871f, "tlbi vmalle1", "NOT"),
            row(0x8b020020, "add x0, x1, x2", "NOT"),
            row(0xd503201f, "nop", "NOT"),
            row(0xd4000001, "svc #0", "NOT"),
            row(0xd5381000, "mrs x0, sctlr_el1", "NOT"),

            // Extensions not modelled
            row(0x69000440, "stgp x0, x1, [x2]", "UNSUPPORTED"),
            row(0xf8200420, "ldraa x0, [x1]", "UNSUPPORTED"),
            row(0xd9200820, "stg x0, [x1]", "UNSUPPORTED"),
            row(0xa400a000, "ld1b {z0.b}, p0/z, [x0]", "UNSUPPORTED"),

            // Unallocated encodings made by editing fields of real ones
            row(0xf8620820, "ldr x0, [x1, x2] with option=000", "UNSUPPORTED"),
            row(0xe9400000, "pair with opc=11", "UNSUPPORTED"),
            row(0x48217c82, "casp with odd Rs", "UNSUPPORTED"),
            row(0xfc408841, "ldtr with V=1", "UNSUPPORTED"),
            row(0xb9c00883, "size=10 opc=11 (no LDRSW to W)", "UNSUPPORTED"),
            row(0x7dc00020, "SIMD LDR with opc=11 and size=01", "UNSUPPORTED"),
            row(0x0c408c00, "ld2 {.1d, .1d} (reserved arrangement)", "UNSUPPORTED"),
            row(0x4d00c800, "replicate with L=0", "UNSUPPORTED"),
            row(0xbc200041, "ldadd with V=1", "UNSUPPORTED"),
            row(0xf8a0c020, "ldapr with Rs != 31", "UNSUPPORTED"));
    }

    private static Arguments row(int insn, String assembly, String expected) {
        return Arguments.of(String.format("%08x", insn), assembly, expected);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("table")
    void decodesLikeTheTableSays(String hex, String assembly, String expected) {
        int insn = Integer.parseUnsignedInt(hex, 16);
        assertEquals(expected, describe(MemoryAccessDecoder.decode(insn)), assembly);
    }

    @Test
    void zeroBlockSizeFollowsTheConfiguredBlock() {
        MemoryAccess access = assertInstanceOf(MemoryAccess.class, MemoryAccessDecoder.decode(0xd50b7420, 256));
        assertEquals(256, access.totalSize());
    }

    @Test
    void everyInstructionWordDecodesWithoutThrowing() {
        // A fixed pseudo-random walk over all 2^32 words: every field takes many values.
        int word = 0x1234_5678;
        for (int i = 0; i < 2_000_000; i++) {
            word = word * 1_664_525 + 1_013_904_223;
            MemoryAccessDecoder.decode(word);
            MemoryAccessDecoder.decode(word | 0x0800_0000 & ~0x0200_0000);
        }
    }

    @Test
    void directionAndAlignmentFacts() {
        MemoryAccess ldadd = (MemoryAccess) MemoryAccessDecoder.decode(0xb8200041);
        assertEquals(true, ldadd.isRead());
        assertEquals(true, ldadd.isWrite());
        assertEquals(4, ldadd.requiredAlignment());
        MemoryAccess civac = (MemoryAccess) MemoryAccessDecoder.decode(0xd50b7e21);
        assertEquals(false, civac.isRead());
        assertEquals(false, civac.isWrite());
        MemoryAccess zva = (MemoryAccess) MemoryAccessDecoder.decode(0xd50b7420);
        assertEquals(true, zva.isWrite());
        MemoryAccess ldaxp = (MemoryAccess) MemoryAccessDecoder.decode(0xc87f8440);
        assertEquals(16, ldaxp.requiredAlignment());
        MemoryAccess ldr = (MemoryAccess) MemoryAccessDecoder.decode(0xf9400020);
        assertEquals(1, ldr.requiredAlignment());
    }

    @Test
    void loadedValuesAreExtendedAsTheDestinationRegisterSays() {
        // ldrsb w5: 0x80 sign-extends to 32 bits, and a W write clears the upper half of X5.
        assertEquals(0xFFFF_FF80L, access(0x38dffcc5).registerValueFor(0x80));
        // ldrsh x7: 0x8000 sign-extends to 64 bits.
        assertEquals(0xFFFF_FFFF_FFFF_8000L, access(0x78802507).registerValueFor(0x8000));
        // ldrsw x3: 0x8000_0000 sign-extends to 64 bits.
        assertEquals(0xFFFF_FFFF_8000_0000L, access(0xb9800883).registerValueFor(0x8000_0000L));
        // ldrh w9: only the halfword is loaded, zero-extended.
        assertEquals(0x5678L, access(0x795ffd49).registerValueFor(0x1234_5678L));
        // ldr x0: all 64 bits.
        assertEquals(0x8877_6655_4433_2211L, access(0xf9400020).registerValueFor(0x8877_6655_4433_2211L));
        // strb w11: only the low byte is written.
        assertEquals(0xFFL, access(0x393fffeb).memoryValueFor(0x1FF));
    }

    private static MemoryAccess access(int insn) {
        return assertInstanceOf(MemoryAccess.class, MemoryAccessDecoder.decode(insn));
    }

    /** Renders a decode result in the table's notation. */
    static String describe(DecodeResult result) {
        return switch (result) {
            case NotMemoryAccess n -> "NOT";
            case Unsupported u -> "UNSUPPORTED";
            case MemoryAccess a -> {
                StringBuilder s = new StringBuilder()
                        .append(a.kind()).append(' ').append(a.mnemonic())
                        .append(" size=").append(a.elementSize())
                        .append(" n=").append(a.elementCount())
                        .append(" regs=").append(a.registerCount())
                        .append(" w=").append(a.registerWidth())
                        .append(" rt=").append(a.rt());
                if (a.rt2() >= 0) s.append(" rt2=").append(a.rt2());
                if (a.rs() >= 0) s.append(" rs=").append(a.rs());
                s.append(' ').append(switch (a.addressing()) {
                    case Addressing.Offset o -> "off(" + o.base() + "," + o.offset() + ")";
                    case Addressing.PreIndex p -> "pre(" + p.base() + "," + p.offset() + ")";
                    case Addressing.PostIndex p -> "post(" + p.base() + "," + p.offset() + ")";
                    case Addressing.PostIndexRegister p -> "postreg(" + p.base() + "," + p.index() + ")";
                    case Addressing.RegisterOffset r ->
                            "reg(" + r.base() + "," + r.index() + "," + r.extend() + "," + r.shift() + ")";
                    case Addressing.Literal l -> "lit(" + l.offset() + ")";
                    case Addressing.SystemOperand o -> "sys(" + o.register() + ")";
                });
                if (a.simd()) s.append(" simd");
                if (a.signExtend()) s.append(" signed");
                if (a.acquire()) s.append(" acq");
                if (a.release()) s.append(" rel");
                if (a.exclusive()) s.append(" excl");
                if (a.pair()) s.append(" pair");
                if (a.unprivileged()) s.append(" unpriv");
                if (a.replicate()) s.append(" repl");
                if (a.lane() >= 0) s.append(" lane=").append(a.lane());
                if (a.atomicOp() != AtomicOp.NONE) s.append(" op=").append(a.atomicOp());
                if (a.cacheOp() != CacheOp.NONE) s.append(" cache=").append(a.cacheOp());
                yield s.toString();
            }
        };
    }
}
