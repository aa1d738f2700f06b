package dev.sel4sim.vmm.x86.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Instructions the decoder must refuse, each with the kind of refusal and the bytes it names. */
class X86DecoderRejectionTest {

    static Stream<Arguments> unsupported() {
        return Stream.of(
            Arguments.of(CpuMode.BITS32, "90", "90", "opcode 90"),                      // nop
            Arguments.of(CpuMode.BITS32, "89d8", "89d8", "register operand"),          // mov eax, ebx
            Arguments.of(CpuMode.BITS32, "80c8ff", "80c8", "register operand"),        // or al, 0xff
            Arguments.of(CpuMode.BITS32, "c70801000000", "c708", "c7 /1"),              // C7 with reg=1
            Arguments.of(CpuMode.BITS32, "f61801", "f618", "f6 /3"),                    // neg byte [eax]
            Arguments.of(CpuMode.BITS32, "a6", "a6", "opcode a6"),                      // cmpsb
            Arguments.of(CpuMode.BITS64, "486303", "4863", "opcode 63"),                  // movsxd rax, [rbx]
            Arguments.of(CpuMode.BITS32, "0fc108", "0fc1", "0f c1"),                    // xadd [eax], ecx
            Arguments.of(CpuMode.BITS32, "f30fd6c1", "f30fd6", "f3 0f d6"),            // movq2dq xmm0, mm1
            Arguments.of(CpuMode.BITS32, "0fd608", "0fd6", "0f d6 without 66"),
            Arguments.of(CpuMode.BITS32, "c705b000e0", "c705b000e0", "past the 5 bytes"),
            Arguments.of(CpuMode.BITS32, "", "", "past the 0 bytes"));
    }

    @ParameterizedTest(name = "{0} [{1}] {3}")
    @MethodSource("unsupported")
    void unsupportedFormsNameTheirBytes(CpuMode mode, String hex, String namedPrefix, String reasonPart) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        Unsupported u = assertInstanceOf(Unsupported.class, X86Decoder.decode(bytes, mode));
        String named = HexFormat.of().formatHex(u.bytes());
        assertEquals(namedPrefix, named, "the bytes examined");
        assertTrue(u.reason().contains(reasonPart), u.reason());
        assertTrue(u.toString().contains(HexFormat.ofDelimiter(" ").formatHex(u.bytes())), u.toString());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
            Arguments.of(CpuMode.BITS32, "f08908", InvalidInstruction.UD),          // lock mov [eax], ecx
            Arguments.of(CpuMode.BITS32, "f083380001", InvalidInstruction.UD),      // lock cmp dword [eax], 1
            Arguments.of(CpuMode.BITS32, "f00b08", InvalidInstruction.UD),          // lock or ecx, [eax]
            Arguments.of(CpuMode.BITS32, "f0a5", InvalidInstruction.UD),            // lock movsd
            Arguments.of(CpuMode.BITS32, "f0850a", InvalidInstruction.UD),          // lock test [edx], ecx
            Arguments.of(CpuMode.BITS32, "f0660f6e00", InvalidInstruction.UD),      // lock movd xmm0, [eax]
            Arguments.of(CpuMode.BITS64, "800801", -1),                             // or byte [rax], 1 is fine
            Arguments.of(CpuMode.BITS64, "820801", InvalidInstruction.UD),          // 82 is gone in 64-bit mode
            Arguments.of(CpuMode.BITS32, "66".repeat(14) + "8900", InvalidInstruction.GP));
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("invalid")
    void encodingsTheProcessorRejectsRaiseAnException(CpuMode mode, String hex, int vector) {
        DecodeResult r = X86Decoder.decode(HexFormat.of().parseHex(hex), mode);
        if (vector < 0) {
            assertInstanceOf(MemoryAccess.class, r);
            return;
        }
        InvalidInstruction bad = assertInstanceOf(InvalidInstruction.class, r, hex);
        assertEquals(vector, bad.vector());
        assertTrue(hex.startsWith(HexFormat.of().formatHex(bad.bytes())));
    }

    @Test
    void fourteenPrefixesAndAnOpcodeStillFitInFifteenBytes() {
        byte[] bytes = HexFormat.of().parseHex("66".repeat(13) + "8900");
        MemoryAccess a = assertInstanceOf(MemoryAccess.class, X86Decoder.decode(bytes, CpuMode.BITS32));
        assertEquals(15, a.length());
        assertEquals(2, a.size());
    }

    @Test
    void theCallersArrayIsNotKeptOrChanged() {
        byte[] bytes = HexFormat.of().parseHex("c70801000000");
        Unsupported u = assertInstanceOf(Unsupported.class, X86Decoder.decode(bytes, CpuMode.BITS32));
        byte[] named = u.bytes();
        named[0] = 0;
        assertArrayEquals(HexFormat.of().parseHex("c708"), u.bytes());
    }

    /** Whatever the bytes, decoding returns a result: no exception escapes, whatever the guest wrote. */
    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(20240601L);
        int accesses = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = new byte[random.nextInt(16)];
            random.nextBytes(bytes);
            for (CpuMode mode : CpuMode.values()) {
                DecodeResult r = X86Decoder.decode(bytes, mode);
                assertNotNull(r);
                if (r instanceof MemoryAccess a) {
                    accesses++;
                    assertTrue(a.length() <= bytes.length && a.length() <= 15, a.toString());
                }
            }
        }
        assertTrue(accesses > 10_000, "random bytes often start with a memory form: " + accesses);
    }
}
