package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.x86.boot.Multiboot2HeaderBytes;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hand-assembled 32-bit guest code for machine tests: the handful of instructions the tests need,
 * encoded by hand, and a Multiboot 1 or 2 image around it (flat, loaded at 1 MiB, IDT with interrupt gates).
 */
final class GuestCode {
    static final int BASE = 0x100000;
    static final int CODE = BASE + 0x20;
    /** Scratch words the tests' guests count in. */
    static final int COUNTER = BASE + 0x800;
    static final int IDTR = BASE + 0x810;
    /** Scratch words a test's guest writes what it saw to. */
    static final int RESULTS = BASE + 0x840;
    /** Where a Multiboot 2 image's header goes: between the scratch words and the IDT, 8-byte aligned. */
    static final int MB2_HEADER = BASE + 0x900;
    static final int IDT = BASE + 0x1000;
    static final int IMAGE_SIZE = 0x1800;

    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private final Map<Integer, Integer> gates = new LinkedHashMap<>();

    /** The address the next instruction goes to. */
    int here() {
        return CODE + code.size();
    }

    GuestCode b(int... bytes) {
        for (int x : bytes) {
            code.write(x);
        }
        return this;
    }

    GuestCode imm32(int v) {
        return b(v & 0xff, v >>> 8 & 0xff, v >>> 16 & 0xff, v >>> 24 & 0xff);
    }

    /** mov dword [addr], imm32 */
    GuestCode store32(long addr, int value) {
        return b(0xc7, 0x05).imm32((int) addr).imm32(value);
    }

    /** mov al, value; out port, al */
    GuestCode outb(int port, int value) {
        return b(0xb0, value & 0xff, 0xe6, port & 0xff);
    }

    /** inc dword [addr] */
    GuestCode inc32(int addr) {
        return b(0xff, 0x05).imm32(addr);
    }

    /** mov eax, [addr]; mov [to], eax: copies a dword (clobbers EAX). */
    GuestCode copy32(long addr, int to) {
        return b(0xa1).imm32((int) addr).b(0xa3).imm32(to);
    }

    /** mov [addr], eax */
    GuestCode storeEax(int addr) {
        return b(0xa3).imm32(addr);
    }

    /** mov [addr], ebx */
    GuestCode storeEbx(int addr) {
        return b(0x89, 0x1d).imm32(addr);
    }

    /** lidt [IDTR], then sti. */
    GuestCode loadIdtAndEnable() {
        return b(0x0f, 0x01, 0x1d).imm32(IDTR).b(0xfb);
    }

    /** loop: hlt; cmp dword [COUNTER], n; jb loop; then cli; hlt (the end: halted, interrupts off). */
    GuestCode waitForCount(int n) {
        int loop = here();
        b(0xf4, 0x83, 0x3d).imm32(COUNTER).b(n);
        int after = here() + 2;
        return b(0x72, (loop - after) & 0xff, 0xfa, 0xf4);
    }

    /** Starts an interrupt handler for {@code vector} here: push eax (pair with {@link #iret()}). */
    GuestCode handler(int vector) {
        gates.put(vector, here());
        return b(0x50);
    }

    /** pop eax; iret */
    GuestCode iret() {
        return b(0x58, 0xcf);
    }

    /** A Multiboot image (a.out kludge: loaded at 1 MiB, entry at the code) with its IDT filled in. */
    byte[] image() {
        ByteBuffer f = body();
        int flags = 0x10003;
        f.putInt(0, 0x1badb002).putInt(4, flags).putInt(8, -(0x1badb002 + flags));
        f.putInt(12, BASE).putInt(16, BASE).putInt(20, 0).putInt(24, 0).putInt(28, CODE);
        return f.array();
    }

    /**
     * The same guest as a Multiboot 2 image, without a Multiboot 1 header: the address tag loads the
     * whole file at 1 MiB and the entry tag starts it at the code.
     */
    byte[] multiboot2Image() {
        return withMultiboot2Header(body().array(), new Multiboot2HeaderBytes());
    }

    /** {@code image} with a Multiboot 2 header at {@link #MB2_HEADER}: {@code header}'s tags, then the address and entry tags. */
    static byte[] withMultiboot2Header(byte[] image, Multiboot2HeaderBytes header) {
        byte[] h = header.address(MB2_HEADER, BASE, 0, 0).entry(CODE).bytes();
        if (MB2_HEADER - BASE + h.length > IDT - BASE) {
            throw new IllegalStateException("test Multiboot 2 header too long: " + h.length + " bytes");
        }
        byte[] out = image.clone();
        System.arraycopy(h, 0, out, MB2_HEADER - BASE, h.length);
        return out;
    }

    /** The code and the IDT, at their places in a file loaded at {@link #BASE}. */
    private ByteBuffer body() {
        ByteBuffer f = ByteBuffer.allocate(IMAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        byte[] c = code.toByteArray();
        if (CODE + c.length > COUNTER) {
            throw new IllegalStateException("test guest code too long: " + c.length + " bytes");
        }
        f.put(0x20, c);
        f.putShort(IDTR - BASE, (short) (256 * 8 - 1)).putInt(IDTR - BASE + 2, IDT);
        gates.forEach((vector, handler) -> {
            int gate = IDT - BASE + vector * 8;
            f.putInt(gate, (handler & 0xffff) | 0x08 << 16);
            f.putInt(gate + 4, (handler & 0xffff0000) | 0x8e00);
        });
        return f;
    }
}
