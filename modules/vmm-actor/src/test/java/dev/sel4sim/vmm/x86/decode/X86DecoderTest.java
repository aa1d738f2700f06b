package dev.sel4sim.vmm.x86.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table of real x86 encodings and the access each makes. The bytes were produced by the GNU assembler
 * (Intel syntax, {@code .code16/.code32/.code64}) from the assembly in the third column; the expected
 * column was written from the assembly's meaning. The instruction length is the assembler's byte count.
 *
 * <p>Expected format: OPERATION KIND size segment:[address] operand [written] [ZERO|SIGN] [REP|REPNE]
 * [LOCK]; "written" means the instruction writes its register operand.
 */
class X86DecoderTest {

    static Stream<Arguments> table() {
        return Stream.of(
            row(32, "c705b000e0fe00000000", "mov dword ptr [0xfee000b0], 0", "MOV WRITE 4 ds:[0xfee000b0] 0x0"),
            row(32, "c78000030000f0040000", "mov dword ptr [eax+0x300], 0x4f0", "MOV WRITE 4 ds:[eax+0x300] 0x4f0"),
            row(32, "c7442408ffffffff", "mov dword ptr [esp+8], -1", "MOV WRITE 4 ss:[esp+0x8] 0xffffffff"),
            row(32, "26c70007000000", "mov dword ptr es:[eax], 7", "MOV WRITE 4 es:[eax] 0x7"),
            row(32, "66c700feff", "mov word ptr [eax], 0xfffe", "MOV WRITE 2 ds:[eax] 0xfffe"),
            row(32, "c60080", "mov byte ptr [eax], 0x80", "MOV WRITE 1 ds:[eax] 0x80"),
            row(32, "8903", "mov [ebx], eax", "MOV WRITE 4 ds:[ebx] eax"),
            row(32, "8b4310", "mov eax, [ebx+0x10]", "MOV READ 4 ds:[ebx+0x10] eax written"),
            row(32, "8806", "mov byte ptr [esi], al", "MOV WRITE 1 ds:[esi] al"),
            row(32, "8a67fc", "mov ah, byte ptr [edi-4]", "MOV READ 1 ds:[edi-0x4] ah written"),
            row(32, "8839", "mov byte ptr [ecx], bh", "MOV WRITE 1 ds:[ecx] bh"),
            row(32, "668911", "mov word ptr [ecx], dx", "MOV WRITE 2 ds:[ecx] dx"),
            row(32, "668b8c4a00010000", "mov cx, word ptr [edx+ecx*2+0x100]", "MOV READ 2 ds:[edx+ecx*2+0x100] cx written"),
            row(32, "8b4500", "mov eax, dword ptr [ebp]", "MOV READ 4 ss:[ebp] eax written"),
            row(32, "8b0424", "mov eax, dword ptr [esp]", "MOV READ 4 ss:[esp] eax written"),
            row(32, "8bb4b578563412", "mov esi, dword ptr [ebp+esi*4+0x12345678]", "MOV READ 4 ss:[ebp+esi*4+0x12345678] esi written"),
            row(32, "8b04f500100000", "mov eax, dword ptr [esi*8+0x1000]", "MOV READ 4 ds:[esi*8+0x1000] eax written"),
            row(32, "8b442880", "mov eax, dword ptr [eax+ebp*1-0x80]", "MOV READ 4 ds:[eax+ebp*1-0x80] eax written"),
            row(32, "8b797f", "mov edi, dword ptr [ecx+0x7f]", "MOV READ 4 ds:[ecx+0x7f] edi written"),
            row(32, "678b00", "mov eax, dword ptr [bx+si]", "MOV READ 4 ds:[bx+si*1] eax written"),
            row(32, "64a110000000", "mov eax, dword ptr fs:[0x10]", "MOV READ 4 fs:[0x10] eax written"),
            row(32, "a00000d0fe", "mov al, byte ptr [0xfed00000]", "MOV READ 1 ds:[0xfed00000] al written"),
            row(32, "a31000c0fe", "mov dword ptr [0xfec00010], eax", "MOV WRITE 4 ds:[0xfec00010] eax"),
            row(32, "a234120000", "mov byte ptr [0x1234], al", "MOV WRITE 1 ds:[0x1234] al"),
            row(32, "66a120000000", "mov ax, word ptr [0x20]", "MOV READ 2 ds:[0x20] ax written"),
            row(32, "0fb603", "movzx eax, byte ptr [ebx]", "MOVZX READ 1 ds:[ebx] eax written ZERO"),
            row(32, "0fb74b02", "movzx ecx, word ptr [ebx+2]", "MOVZX READ 2 ds:[ebx+0x2] ecx written ZERO"),
            row(32, "660fb603", "movzx ax, byte ptr [ebx]", "MOVZX READ 1 ds:[ebx] ax written ZERO"),
            row(32, "0fbe10", "movsx edx, byte ptr [eax]", "MOVSX READ 1 ds:[eax] edx written SIGN"),
            row(32, "0fbf3440", "movsx esi, word ptr [eax+eax*2]", "MOVSX READ 2 ds:[eax+eax*2] esi written SIGN"),
            row(32, "094804", "or dword ptr [eax+4], ecx", "OR READ_WRITE 4 ds:[eax+0x4] ecx"),
            row(32, "0810", "or byte ptr [eax], dl", "OR READ_WRITE 1 ds:[eax] dl"),
            row(32, "2108", "and dword ptr [eax], ecx", "AND READ_WRITE 4 ds:[eax] ecx"),
            row(32, "3108", "xor dword ptr [eax], ecx", "XOR READ_WRITE 4 ds:[eax] ecx"),
            row(32, "0108", "add dword ptr [eax], ecx", "ADD READ_WRITE 4 ds:[eax] ecx"),
            row(32, "662908", "sub word ptr [eax], cx", "SUB READ_WRITE 2 ds:[eax] cx"),
            row(32, "1108", "adc dword ptr [eax], ecx", "ADC READ_WRITE 4 ds:[eax] ecx"),
            row(32, "1908", "sbb dword ptr [eax], ecx", "SBB READ_WRITE 4 ds:[eax] ecx"),
            row(32, "3908", "cmp dword ptr [eax], ecx", "CMP READ 4 ds:[eax] ecx"),
            row(32, "0b08", "or ecx, dword ptr [eax]", "OR READ 4 ds:[eax] ecx written"),
            row(32, "2310", "and edx, dword ptr [eax]", "AND READ 4 ds:[eax] edx written"),
            row(32, "3218", "xor bl, byte ptr [eax]", "XOR READ 1 ds:[eax] bl written"),
            row(32, "0300", "add eax, dword ptr [eax]", "ADD READ 4 ds:[eax] eax written"),
            row(32, "2b08", "sub ecx, dword ptr [eax]", "SUB READ 4 ds:[eax] ecx written"),
            row(32, "3b08", "cmp ecx, dword ptr [eax]", "CMP READ 4 ds:[eax] ecx"),
            row(32, "3a28", "cmp ch, byte ptr [eax]", "CMP READ 1 ds:[eax] ch"),
            row(32, "8320fe", "and dword ptr [eax], 0xfffffffe", "AND READ_WRITE 4 ds:[eax] 0xfffffffe"),
            row(32, "810800010000", "or dword ptr [eax], 0x100", "OR READ_WRITE 4 ds:[eax] 0x100"),
            row(32, "800001", "add byte ptr [eax], 1", "ADD READ_WRITE 1 ds:[eax] 0x1"),
            row(32, "66832802", "sub word ptr [eax], 2", "SUB READ_WRITE 2 ds:[eax] 0x2"),
            row(32, "6681283412", "sub word ptr [eax], 0x1234", "SUB READ_WRITE 2 ds:[eax] 0x1234"),
            row(32, "813000000080", "xor dword ptr [eax], 0x80000000", "XOR READ_WRITE 4 ds:[eax] 0x80000000"),
            row(32, "833805", "cmp dword ptr [eax], 5", "CMP READ 4 ds:[eax] 0x5"),
            row(32, "8038ff", "cmp byte ptr [eax], 0xff", "CMP READ 1 ds:[eax] 0xff"),
            row(32, "831000", "adc dword ptr [eax], 0", "ADC READ_WRITE 4 ds:[eax] 0x0"),
            row(32, "8508", "test dword ptr [eax], ecx", "TEST READ 4 ds:[eax] ecx"),
            row(32, "8430", "test byte ptr [eax], dh", "TEST READ 1 ds:[eax] dh"),
            row(32, "f60020", "test byte ptr [eax], 0x20", "TEST READ 1 ds:[eax] 0x20"),
            row(32, "f70000000100", "test dword ptr [eax], 0x10000", "TEST READ 4 ds:[eax] 0x10000"),
            row(32, "66f7000080", "test word ptr [eax], 0x8000", "TEST READ 2 ds:[eax] 0x8000"),
            row(32, "8708", "xchg dword ptr [eax], ecx", "XCHG READ_WRITE 4 ds:[eax] ecx written LOCK"),
            row(32, "8618", "xchg byte ptr [eax], bl", "XCHG READ_WRITE 1 ds:[eax] bl written LOCK"),
            row(32, "f0830801", "lock or dword ptr [eax], 1", "OR READ_WRITE 4 ds:[eax] 0x1 LOCK"),
            row(32, "f00108", "lock add dword ptr [eax], ecx", "ADD READ_WRITE 4 ds:[eax] ecx LOCK"),
            row(32, "f08020fe", "lock and byte ptr [eax], 0xfe", "AND READ_WRITE 1 ds:[eax] 0xfe LOCK"),
            row(32, "f08710", "lock xchg dword ptr [eax], edx", "XCHG READ_WRITE 4 ds:[eax] edx written LOCK"),
            row(32, "ab", "stosd", "STOS WRITE 4 es:[edi] eax"),
            row(32, "f3ab", "rep stosd", "STOS WRITE 4 es:[edi] eax REP"),
            row(32, "f3aa", "rep stosb", "STOS WRITE 1 es:[edi] al REP"),
            row(32, "f3a4", "rep movsb", "MOVS COPY 1 ds:[esi] es:[edi] REP"),
            row(32, "a5", "movsd", "MOVS COPY 4 ds:[esi] es:[edi]"),
            row(32, "64a4", "movs byte ptr es:[edi], byte ptr fs:[esi]", "MOVS COPY 1 fs:[esi] es:[edi]"),
            row(32, "66ad", "lodsw", "LODS READ 2 ds:[esi] ax written"),
            row(32, "f3ac", "rep lodsb", "LODS READ 1 ds:[esi] al written REP"),
            row(32, "f2a5", "repne movsd", "MOVS COPY 4 ds:[esi] es:[edi] REPNE"),
            row(32, "660f6e00", "movd xmm0, dword ptr [eax]", "MOVD READ 4 ds:[eax] xmm0 written ZERO"),
            row(32, "660f7e08", "movd dword ptr [eax], xmm1", "MOVD WRITE 4 ds:[eax] xmm1"),
            row(32, "660fd610", "movq qword ptr [eax], xmm2", "MOVQ WRITE 8 ds:[eax] xmm2"),
            row(32, "f30f7e18", "movq xmm3, qword ptr [eax]", "MOVQ READ 8 ds:[eax] xmm3 written ZERO"),
            row(32, "0f6e08", "movd mm1, dword ptr [eax]", "MOVD READ 4 ds:[eax] mm1 written ZERO"),
            row(32, "0f7e10", "movd dword ptr [eax], mm2", "MOVD WRITE 4 ds:[eax] mm2"),
            row(16, "8900", "mov word ptr [bx+si], ax", "MOV WRITE 2 ds:[bx+si*1] ax"),
            row(16, "8b4310", "mov ax, word ptr [bp+di+0x10]", "MOV READ 2 ss:[bp+di*1+0x10] ax written"),
            row(16, "c746003412", "mov word ptr [bp], 0x1234", "MOV WRITE 2 ss:[bp] 0x1234"),
            row(16, "894dfe", "mov word ptr [di-2], cx", "MOV WRITE 2 ds:[di-0x2] cx"),
            row(16, "8b870010", "mov ax, word ptr [bx+0x1000]", "MOV READ 2 ds:[bx+0x1000] ax written"),
            row(16, "8a11", "mov dl, byte ptr [bx+di]", "MOV READ 1 ds:[bx+di*1] dl written"),
            row(16, "c642ff05", "mov byte ptr [bp+si-1], 5", "MOV WRITE 1 ss:[bp+si*1-0x1] 0x5"),
            row(16, "a03412", "mov al, byte ptr [0x1234]", "MOV READ 1 ds:[0x1234] al written"),
            row(16, "c606008001", "mov byte ptr [0x8000], 1", "MOV WRITE 1 ds:[0x8000] 0x1"),
            row(16, "268b07", "mov ax, word ptr es:[bx]", "MOV READ 2 es:[bx] ax written"),
            row(16, "668b04", "mov eax, dword ptr [si]", "MOV READ 4 ds:[si] eax written"),
            row(16, "6766c7048b05000000", "mov dword ptr [ebx+ecx*4], 5", "MOV WRITE 4 ds:[ebx+ecx*4] 0x5"),
            row(16, "66c70478563412", "mov dword ptr [si], 0x12345678", "MOV WRITE 4 ds:[si] 0x12345678"),
            row(16, "800c80", "or byte ptr [si], 0x80", "OR READ_WRITE 1 ds:[si] 0x80"),
            row(16, "8327f0", "and word ptr [bx], 0xfff0", "AND READ_WRITE 2 ds:[bx] 0xfff0"),
            row(16, "660fb707", "movzx eax, word ptr [bx]", "MOVZX READ 2 ds:[bx] eax written ZERO"),
            row(16, "f3ab", "rep stosw", "STOS WRITE 2 es:[di] ax REP"),
            row(16, "66f3a5", "rep movsd", "MOVS COPY 4 ds:[si] es:[di] REP"),
            row(16, "67f3a4", "addr32 rep movsb", "MOVS COPY 1 ds:[esi] es:[edi] REP"),
            row(64, "c7050001000001000000", "mov dword ptr [rip+0x100], 0x1", "MOV WRITE 4 ds:[rip+0x100] 0x1"),
            row(64, "8b05f0ffffff", "mov eax, dword ptr [rip-0x10]", "MOV READ 4 ds:[rip-0x10] eax written"),
            row(64, "678b0510000000", "mov eax, dword ptr [eip+0x10]", "MOV READ 4 ds:[eip+0x10] eax written"),
            row(64, "f0830d2000000001", "lock or dword ptr [rip+0x20], 1", "OR READ_WRITE 4 ds:[rip+0x20] 0x1 LOCK"),
            row(64, "488918", "mov qword ptr [rax], rbx", "MOV WRITE 8 ds:[rax] rbx"),
            row(64, "458b4120", "mov r8d, dword ptr [r9+0x20]", "MOV READ 4 ds:[r9+0x20] r8d written"),
            row(64, "48c700ffffffff", "mov qword ptr [rax], -1", "MOV WRITE 8 ds:[rax] 0xffffffffffffffff"),
            row(64, "48c700ffffff7f", "mov qword ptr [rax], 0x7fffffff", "MOV WRITE 8 ds:[rax] 0x7fffffff"),
            row(64, "6641c7030180", "mov word ptr [r11], 0x8001", "MOV WRITE 2 ds:[r11] 0x8001"),
            row(64, "408830", "mov byte ptr [rax], sil", "MOV WRITE 1 ds:[rax] sil"),
            row(64, "8830", "mov byte ptr [rax], dh", "MOV WRITE 1 ds:[rax] dh"),
            row(64, "458a6500", "mov r12b, byte ptr [r13]", "MOV READ 1 ds:[r13] r12b written"),
            row(64, "418b0424", "mov eax, dword ptr [r12]", "MOV READ 4 ds:[r12] eax written"),
            row(64, "428b44e010", "mov eax, dword ptr [rax+r12*8+0x10]", "MOV READ 4 ds:[rax+r12*8+0x10] eax written"),
            row(64, "8b0444", "mov eax, dword ptr [rsp+rax*2]", "MOV READ 4 ss:[rsp+rax*2] eax written"),
            row(64, "4c894508", "mov qword ptr [rbp+0x8], r8", "MOV WRITE 8 ss:[rbp+0x8] r8"),
            row(64, "66478bbc3500010000", "mov r15w, word ptr [r13+r14*1+0x100]", "MOV READ 2 ds:[r13+r14*1+0x100] r15w written"),
            row(64, "668b02", "mov ax, word ptr [rdx]", "MOV READ 2 ds:[rdx] ax written"),
            row(64, "488b042500100000", "mov rax, qword ptr [0x1000]", "MOV READ 8 ds:[0x1000] rax written"),
            row(64, "a12000e0fe00000000", "movabs eax, dword ptr [0xfee00020]", "MOV READ 4 ds:[0xfee00020] eax written"),
            row(64, "48a39a78563412000000", "movabs qword ptr [0x123456789a], rax", "MOV WRITE 8 ds:[0x123456789a] rax"),
            row(64, "a00000d0feffffffff", "movabs al, byte ptr [0xfffffffffed00000]", "MOV READ 1 ds:[0xfffffffffed00000] al written"),
            row(64, "678b00", "mov eax, dword ptr [eax]", "MOV READ 4 ds:[eax] eax written"),
            row(64, "65c70000000000", "mov dword ptr gs:[rax], 0", "MOV WRITE 4 gs:[rax] 0x0"),
            row(64, "440fb713", "movzx r10d, word ptr [rbx]", "MOVZX READ 2 ds:[rbx] r10d written ZERO"),
            row(64, "480fbe03", "movsx rax, byte ptr [rbx]", "MOVSX READ 1 ds:[rbx] rax written SIGN"),
            row(64, "4c0fbf0b", "movsx r9, word ptr [rbx]", "MOVSX READ 2 ds:[rbx] r9 written SIGN"),
            row(64, "f3440f7e08", "movq xmm9, qword ptr [rax]", "MOVQ READ 8 ds:[rax] xmm9 written ZERO"),
            row(64, "66440fd610", "movq qword ptr [rax], xmm10", "MOVQ WRITE 8 ds:[rax] xmm10"),
            row(64, "66450f6e38", "movd xmm15, dword ptr [r8]", "MOVD READ 4 ds:[r8] xmm15 written ZERO"),
            row(64, "48830810", "or qword ptr [rax], 0x10", "OR READ_WRITE 8 ds:[rax] 0x10"),
            row(64, "488320fe", "and qword ptr [rax], -2", "AND READ_WRITE 8 ds:[rax] 0xfffffffffffffffe"),
            row(64, "4181448f7f78563412", "add dword ptr [r15+rcx*4+0x7f], 0x12345678", "ADD READ_WRITE 4 ds:[r15+rcx*4+0x7f] 0x12345678"),
            row(64, "48813800100000", "cmp qword ptr [rax], 0x1000", "CMP READ 8 ds:[rax] 0x1000"),
            row(64, "482b03", "sub rax, qword ptr [rbx]", "SUB READ 8 ds:[rbx] rax written"),
            row(64, "44331b", "xor r11d, dword ptr [rbx]", "XOR READ 4 ds:[rbx] r11d written"),
            row(64, "488508", "test qword ptr [rax], rcx", "TEST READ 8 ds:[rax] rcx"),
            row(64, "f60001", "test byte ptr [rax], 1", "TEST READ 1 ds:[rax] 0x1"),
            row(64, "48f700f0ffffff", "test qword ptr [rax], -16", "TEST READ 8 ds:[rax] 0xfffffffffffffff0"),
            row(64, "488707", "xchg qword ptr [rdi], rax", "XCHG READ_WRITE 8 ds:[rdi] rax written LOCK"),
            row(64, "f04c010f", "lock add qword ptr [rdi], r9", "ADD READ_WRITE 8 ds:[rdi] r9 LOCK"),
            row(64, "f348a5", "rep movsq", "MOVS COPY 8 ds:[rsi] es:[rdi] REP"),
            row(64, "f3aa", "rep stosb", "STOS WRITE 1 es:[rdi] al REP"),
            row(64, "67f3ab", "addr32 rep stosd", "STOS WRITE 4 es:[edi] eax REP"),
            row(64, "48ad", "lodsq", "LODS READ 8 ds:[rsi] rax written"),
            row(64, "66480f6e08", ".byte 0x66,0x48,0x0f,0x6e,0x08", "MOVQ READ 8 ds:[rax] xmm1 written ZERO"),
            row(64, "66480f7e08", ".byte 0x66,0x48,0x0f,0x7e,0x08", "MOVQ WRITE 8 ds:[rax] xmm1"),
            row(64, "48668900", ".byte 0x48,0x66,0x89,0x00", "MOV WRITE 2 ds:[rax] ax"),
            row(64, "413e8b00", ".byte 0x41,0x3e,0x8b,0x00", "MOV READ 4 ds:[rax] eax written")
        );
    }

    private static Arguments row(int bits, String hex, String assembly, String expected) {
        CpuMode mode = switch (bits) {
            case 16 -> CpuMode.BITS16;
            case 32 -> CpuMode.BITS32;
            default -> CpuMode.BITS64;
        };
        return Arguments.of(mode, HexFormat.of().parseHex(hex), assembly, expected);
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("table")
    void decodesTheAccessAndTheLength(CpuMode mode, byte[] bytes, String assembly, String expected) {
        MemoryAccess access = assertInstanceOf(MemoryAccess.class, X86Decoder.decode(bytes, mode), assembly);
        assertEquals(expected, describe(access), assembly);
        assertEquals(bytes.length, access.length(), assembly + ": length");
        assertEquals(mode, access.mode());
    }

    /** The bytes after the instruction must not change anything: the decoder stops where it ends. */
    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("table")
    void ignoresTheBytesThatFollow(CpuMode mode, byte[] bytes, String assembly, String expected) {
        byte[] padded = Arrays.copyOf(bytes, 15);
        Arrays.fill(padded, bytes.length, 15, (byte) 0x66);
        MemoryAccess access = assertInstanceOf(MemoryAccess.class, X86Decoder.decode(padded, mode), assembly);
        assertEquals(expected, describe(access), assembly);
        assertEquals(bytes.length, access.length(), assembly + ": length");
    }

    /** Any instruction cut short is reported as running past the bytes given, never decoded from garbage. */
    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("table")
    void reportsEveryTruncationAsUnsupported(CpuMode mode, byte[] bytes, String assembly, String expected) {
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            Unsupported u = assertInstanceOf(Unsupported.class, X86Decoder.decode(cut, mode), assembly + " cut to " + n);
            assertEquals(n, u.bytes().length, "the bytes named are the ones examined");
        }
    }

    static String describe(MemoryAccess a) {
        StringBuilder sb = new StringBuilder();
        sb.append(a.operation()).append(' ').append(a.kind()).append(' ').append(a.size()).append(' ')
                .append(a.address()).append(' ').append(a.operand());
        if (a.operandWritten()) {
            sb.append(" written");
        }
        if (a.extension() != Extension.NONE) {
            sb.append(' ').append(a.extension());
        }
        if (a.rep() != Rep.NONE) {
            sb.append(' ').append(a.rep());
        }
        if (a.lock()) {
            sb.append(" LOCK");
        }
        return sb.toString();
    }
}
