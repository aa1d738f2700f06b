package dev.sel4sim.vmm.arm.dev;

import dev.sel4sim.vmm.cpu.MmioHandler;

import java.util.ArrayDeque;
import java.util.function.IntConsumer;

/**
 * An Arm PrimeCell PL011 UART as a guest sees it: transmit goes out at once (the FIFO
 * never fills), receive has a 32-entry FIFO (16 with FEN clear, as the TRM's one-byte
 * holding register is too small for pasted input), and one interrupt line that is the OR
 * of the masked interrupt status bits.
 */
public final class Pl011 implements MmioHandler {
    private static final int DR = 0x000;
    private static final int RSR = 0x004;
    private static final int FR = 0x018;
    private static final int ILPR = 0x020;
    private static final int IBRD = 0x024;
    private static final int FBRD = 0x028;
    private static final int LCR_H = 0x02c;
    private static final int CR = 0x030;
    private static final int IFLS = 0x034;
    private static final int IMSC = 0x038;
    private static final int RIS = 0x03c;
    private static final int MIS = 0x040;
    private static final int ICR = 0x044;
    private static final int DMACR = 0x048;

    private static final int FR_RXFE = 1 << 4;
    private static final int FR_TXFF = 1 << 5;
    private static final int FR_RXFF = 1 << 6;
    private static final int FR_TXFE = 1 << 7;
    static final int INT_RX = 1 << 4;
    static final int INT_TX = 1 << 5;
    static final int INT_RT = 1 << 6;
    private static final int RX_FIFO = 32;

    private static final int[] ID = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

    /** Where the interrupt line goes (the VMM connects it to a GIC SPI). */
    public interface Line {
        void set(boolean high);
    }

    private final IntConsumer output;
    private final Line line;
    private final ArrayDeque<Integer> rx = new ArrayDeque<>();
    private int ris;
    private int imsc;
    private int lcr;
    private int cr = 0x300;
    private int ibrd;
    private int fbrd;
    private int ifls = 0x12;
    private int ilpr;
    private int dmacr;
    private boolean lineHigh;

    public Pl011(IntConsumer output, Line line) {
        this.output = output;
        this.line = line;
    }

    /** Bytes from the host for the guest; false when the FIFO is full (the caller keeps the rest). */
    public boolean receive(int b) {
        if (rx.size() >= RX_FIFO) {
            return false;
        }
        rx.addLast(b & 0xff);
        ris |= INT_RX | INT_RT;
        update();
        return true;
    }

    /** Free receive FIFO space. */
    public int receiveSpace() {
        return RX_FIFO - rx.size();
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        int off = (int) offset;
        if (off >= 0xfe0 && off < 0x1000) {
            return ID[(off - 0xfe0) >> 2];
        }
        return switch (off) {
            case DR -> {
                int b = rx.isEmpty() ? 0 : rx.removeFirst();
                if (rx.isEmpty()) {
                    ris &= ~(INT_RX | INT_RT);
                }
                update();
                yield b;
            }
            case RSR -> 0;
            case FR -> (rx.isEmpty() ? FR_RXFE : 0) | (rx.size() >= RX_FIFO ? FR_RXFF : 0) | FR_TXFE;
            case ILPR -> ilpr;
            case IBRD -> ibrd;
            case FBRD -> fbrd;
            case LCR_H -> lcr;
            case CR -> cr;
            case IFLS -> ifls;
            case IMSC -> imsc;
            case RIS -> ris;
            case MIS -> ris & imsc;
            case DMACR -> dmacr;
            default -> 0;
        };
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        int v = (int) value;
        switch ((int) offset) {
            case DR -> {
                output.accept(v & 0xff);
                // Transmission is instant: the TX interrupt says the FIFO has room again.
                ris |= INT_TX;
            }
            case RSR -> {
            }
            case ILPR -> ilpr = v & 0xff;
            case IBRD -> ibrd = v & 0xffff;
            case FBRD -> fbrd = v & 0x3f;
            case LCR_H -> lcr = v & 0xff;
            case CR -> cr = v & 0xffff;
            case IFLS -> ifls = v & 0x3f;
            case IMSC -> imsc = v & 0x7ff;
            case ICR -> ris &= ~v;
            case DMACR -> dmacr = v & 7;
            default -> {
            }
        }
        update();
    }

    private void update() {
        boolean high = (ris & imsc) != 0;
        if (high != lineHigh) {
            lineHigh = high;
            line.set(high);
        }
    }
}
