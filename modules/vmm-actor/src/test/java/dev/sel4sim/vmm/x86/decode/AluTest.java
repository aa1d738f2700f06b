package dev.sel4sim.vmm.x86.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Results and flags of the read-modify-write operations, from the SDM's flag definitions. */
class AluTest {

    static Stream<Arguments> table() {
        return Stream.of(
            // op, size, dst, src, CF in, result, flags (C P A Z S O)
            Arguments.of(Operation.ADD, 1, 0x7f, 0x01, false, 0x80, "A S O"),
            Arguments.of(Operation.ADD, 1, 0xff, 0x01, false, 0x00, "C P A Z"),
            Arguments.of(Operation.ADD, 4, 0xffff_ffffL, 0x1, false, 0x0, "C P A Z"),
            Arguments.of(Operation.ADD, 4, 0x8000_0000L, 0x8000_0000L, false, 0x0, "C P Z O"),
            Arguments.of(Operation.ADD, 8, -1L, 1L, false, 0L, "C P A Z"),
            Arguments.of(Operation.ADD, 8, 0x7fff_ffff_ffff_ffffL, 1L, false, 0x8000_0000_0000_0000L, "P A S O"),
            Arguments.of(Operation.ADD, 2, 0x1234, 0x1111, false, 0x2345, ""),
            Arguments.of(Operation.ADC, 1, 0xfe, 0x01, true, 0x00, "C P A Z"),
            Arguments.of(Operation.ADC, 1, 0x10, 0x01, true, 0x12, "P"),
            Arguments.of(Operation.SUB, 1, 0x00, 0x01, false, 0xff, "C P A S"),
            Arguments.of(Operation.SUB, 1, 0x80, 0x01, false, 0x7f, "A O"),
            Arguments.of(Operation.SUB, 4, 5, 5, false, 0, "P Z"),
            Arguments.of(Operation.SBB, 4, 5, 5, true, 0xffff_ffffL, "C P A S"),
            Arguments.of(Operation.SBB, 8, 0, 0, true, -1L, "C P A S"),
            Arguments.of(Operation.CMP, 4, 3, 7, false, 0xffff_fffcL, "C P A S"),
            Arguments.of(Operation.CMP, 2, 0x8000, 0x0001, false, 0x7fff, "P A O"),
            Arguments.of(Operation.AND, 4, 0xf0f0_f0f0L, 0x0ff0_0ff0L, true, 0x00f0_00f0L, "P"),
            Arguments.of(Operation.OR, 1, 0x80, 0x01, true, 0x81, "P S"),
            Arguments.of(Operation.XOR, 4, 0x1234_5678L, 0x1234_5678L, true, 0, "P Z"),
            Arguments.of(Operation.TEST, 1, 0x20, 0x20, false, 0x20, ""),
            Arguments.of(Operation.TEST, 8, 0x8000_0000_0000_0000L, -1L, false, 0x8000_0000_0000_0000L, "P S"));
    }

    @ParameterizedTest(name = "{0} size {1}: {2} and {3}")
    @MethodSource("table")
    void computesResultAndStatusFlags(Operation op, int size, long dst, long src, boolean carryIn, long result,
                                      String flags) {
        long other = 0x202L; // IF and the always-one bit must survive
        Alu.Result r = Alu.compute(op, size, dst, src, other | (carryIn ? Alu.CF : 0) | Alu.ZF | Alu.OF);
        assertEquals(result, r.value());
        assertEquals(flags, names(r.rflags()));
        assertEquals(other, r.rflags() & ~Alu.STATUS_FLAGS);
    }

    @Test
    void refusesNonArithmetic() {
        assertThrows(IllegalArgumentException.class, () -> Alu.compute(Operation.MOV, 4, 0, 0, 0));
    }

    private static String names(long rflags) {
        StringBuilder sb = new StringBuilder();
        append(sb, rflags, Alu.CF, "C");
        append(sb, rflags, Alu.PF, "P");
        append(sb, rflags, Alu.AF, "A");
        append(sb, rflags, Alu.ZF, "Z");
        append(sb, rflags, Alu.SF, "S");
        append(sb, rflags, Alu.OF, "O");
        return sb.toString().trim();
    }

    private static void append(StringBuilder sb, long rflags, long flag, String name) {
        if ((rflags & flag) != 0) {
            sb.append(name).append(' ');
        }
    }
}
