package dev.sel4sim.vmm.x86.uart;

import dev.sel4sim.vmm.x86.dev.IoPortHandler;
import dev.sel4sim.vmm.x86.dev.IrqLine;
import dev.sel4sim.vmm.x86.dev.TimedDevice;

import java.util.ArrayDeque;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * An 8250/16550A UART at eight consecutive ports (COM1 is 0x3F8 with IRQ 4).
 *
 * <p>Transmit goes to the output at once, so the transmitter is always empty. Receive has the
 * 16-byte FIFO (one byte with FIFOs off); the host side offers bytes with {@link #receive(int)},
 * which refuses them when full so nothing is dropped. Interrupts follow the 16550's priorities: line
 * status, received data at the trigger level, character timeout (four character times of simulated
 * time at the programmed baud rate and frame), transmitter empty, modem status. As on a PC, the
 * interrupt reaches the line only while MCR.OUT2 is set. Loopback mode (MCR bit 4) returns
 * transmitted bytes to the receiver and mirrors the modem control outputs onto the status inputs,
 * which is what Linux's probe checks.
 */
public final class Uart16550 implements IoPortHandler, TimedDevice {
    public static final int COM1 = 0x3f8;
    public static final int COM1_IRQ = 4;
    /** The input clock divided by 16: the baud rate at divisor 1. */
    private static final long BASE_BAUD = 115_200;
    private static final int FIFO_SIZE = 16;

    private static final int IER_RDA = 0x01;
    private static final int IER_THRE = 0x02;
    private static final int IER_RLS = 0x04;
    private static final int IER_MSR = 0x08;
    private static final int IIR_NONE = 0x01;
    private static final int IIR_RLS = 0x06;
    private static final int IIR_RDA = 0x04;
    private static final int IIR_TIMEOUT = 0x0c;
    private static final int IIR_THRE = 0x02;
    private static final int IIR_MSR = 0x00;
    private static final int LCR_DLAB = 0x80;
    private static final int MCR_OUT2 = 0x08;
    private static final int MCR_LOOP = 0x10;
    private static final int LSR_DR = 0x01;
    private static final int LSR_OE = 0x02;
    private static final int LSR_THRE = 0x20;
    private static final int LSR_TEMT = 0x40;

    private final int base;
    private final LongSupplier nowNs;
    private final IntConsumer output;
    private final IrqLine irq;
    private final ArrayDeque<Integer> rx = new ArrayDeque<>();
    private int ier;
    private int lcr;
    private int mcr;
    private int scr;
    private int divisor = 12;
    private boolean fifoEnabled;
    private int triggerLevel = 1;
    private boolean overrun;
    private boolean thrEmptyPending;
    private int msrDeltas;
    /** When the receive FIFO last changed or was read: the character timeout counts from here. */
    private long lastRxActivityNs;
    private boolean irqHigh;

    /**
     * @param base the first of the eight ports (0x3F8 for COM1)
     * @param nowNs simulated time, for the character timeout
     * @param output transmitted bytes, 0-255
     * @param irq the interrupt line (ISA IRQ 4 for COM1)
     */
    public Uart16550(int base, LongSupplier nowNs, IntConsumer output, IrqLine irq) {
        this.base = base;
        this.nowNs = nowNs;
        this.output = output;
        this.irq = irq;
    }

    /** Offers a byte from the host to the guest; false when the receive FIFO is full (keep it for later). */
    public boolean receive(int b) {
        if (rx.size() >= capacity()) {
            return false;
        }
        rx.addLast(b & 0xff);
        lastRxActivityNs = nowNs.getAsLong();
        updateIrq();
        return true;
    }

    /** Free receive FIFO space. */
    public int receiveSpace() {
        return capacity() - rx.size();
    }

    private int capacity() {
        return fifoEnabled ? FIFO_SIZE : 1;
    }

    @Override
    public int read(int port, int size) {
        int value = switch (port - base) {
            case 0 -> (lcr & LCR_DLAB) != 0 ? divisor & 0xff : readRbr();
            case 1 -> (lcr & LCR_DLAB) != 0 ? (divisor >> 8) & 0xff : ier;
            case 2 -> readIir();
            case 3 -> lcr;
            case 4 -> mcr;
            case 5 -> readLsr();
            case 6 -> readMsr();
            case 7 -> scr;
            default -> 0xff;
        };
        updateIrq();
        return value;
    }

    @Override
    public void write(int port, int size, int value) {
        int b = value & 0xff;
        switch (port - base) {
            case 0 -> {
                if ((lcr & LCR_DLAB) != 0) {
                    divisor = (divisor & 0xff00) | b;
                } else {
                    transmit(b);
                }
            }
            case 1 -> {
                if ((lcr & LCR_DLAB) != 0) {
                    divisor = (divisor & 0xff) | (b << 8);
                } else {
                    // Enabling the THRE interrupt while the transmitter is empty raises it at once.
                    if ((b & IER_THRE) != 0 && (ier & IER_THRE) == 0) {
                        thrEmptyPending = true;
                    }
                    ier = b & 0x0f;
                }
            }
            case 2 -> writeFcr(b);
            case 3 -> lcr = b;
            case 4 -> writeMcr(b & 0x1f);
            case 7 -> scr = b;
            default -> {
            }
        }
        updateIrq();
    }

    private void transmit(int b) {
        if ((mcr & MCR_LOOP) != 0) {
            if (rx.size() >= capacity()) {
                overrun = true;
            } else {
                rx.addLast(b);
                lastRxActivityNs = nowNs.getAsLong();
            }
        } else {
            output.accept(b);
        }
        thrEmptyPending = true;
    }

    private int readRbr() {
        Integer b = rx.pollFirst();
        lastRxActivityNs = nowNs.getAsLong();
        return b == null ? 0 : b;
    }

    private int readIir() {
        int id = pendingInterrupt();
        if (id == IIR_THRE) {
            thrEmptyPending = false;
        }
        return id | (fifoEnabled ? 0xc0 : 0);
    }

    private int readLsr() {
        int lsr = LSR_THRE | LSR_TEMT | (rx.isEmpty() ? 0 : LSR_DR) | (overrun ? LSR_OE : 0);
        overrun = false;
        return lsr;
    }

    private int readMsr() {
        int msr = modemInputs() | msrDeltas;
        msrDeltas = 0;
        return msr;
    }

    /** CTS, DSR, RI and DCD: looped back from MCR in loopback mode, otherwise a connected terminal. */
    private int modemInputs() {
        if ((mcr & MCR_LOOP) == 0) {
            return 0xb0; // DCD, DSR, CTS
        }
        return ((mcr & 0x02) << 3) | ((mcr & 0x01) << 5) | ((mcr & 0x04) << 4) | ((mcr & 0x08) << 4);
    }

    private void writeMcr(int b) {
        int before = modemInputs();
        mcr = b;
        int after = modemInputs();
        int changed = before ^ after;
        if ((changed & 0x10) != 0) {
            msrDeltas |= 0x01;
        }
        if ((changed & 0x20) != 0) {
            msrDeltas |= 0x02;
        }
        if ((before & 0x40) != 0 && (after & 0x40) == 0) {
            msrDeltas |= 0x04; // trailing edge of RI
        }
        if ((changed & 0x80) != 0) {
            msrDeltas |= 0x08;
        }
    }

    private void writeFcr(int b) {
        boolean enable = (b & 0x01) != 0;
        if (enable != fifoEnabled) {
            rx.clear();
        }
        fifoEnabled = enable;
        if ((b & 0x02) != 0) {
            rx.clear();
        }
        triggerLevel = switch (b >> 6) {
            case 0 -> 1;
            case 1 -> 4;
            case 2 -> 8;
            default -> 14;
        };
    }

    /** The identification bits of the highest-priority pending interrupt, or {@link #IIR_NONE}. */
    private int pendingInterrupt() {
        if ((ier & IER_RLS) != 0 && overrun) {
            return IIR_RLS;
        }
        if ((ier & IER_RDA) != 0 && !rx.isEmpty()) {
            if (!fifoEnabled || rx.size() >= triggerLevel) {
                return IIR_RDA;
            }
            if (nowNs.getAsLong() >= lastRxActivityNs + timeoutNs()) {
                return IIR_TIMEOUT;
            }
        }
        if ((ier & IER_THRE) != 0 && thrEmptyPending) {
            return IIR_THRE;
        }
        if ((ier & IER_MSR) != 0 && msrDeltas != 0) {
            return IIR_MSR;
        }
        return IIR_NONE;
    }

    /** Four character times at the programmed rate and frame: start, data, parity and stop bits. */
    private long timeoutNs() {
        int bits = 1 + 5 + (lcr & 3) + ((lcr & 0x08) != 0 ? 1 : 0) + ((lcr & 0x04) != 0 ? 2 : 1);
        long div = divisor == 0 ? 0x10000 : divisor;
        return 4L * bits * 1_000_000_000L * div / BASE_BAUD;
    }

    @Override
    public long nextDeadlineNs() {
        if (fifoEnabled && (ier & IER_RDA) != 0 && !rx.isEmpty() && rx.size() < triggerLevel) {
            long deadline = lastRxActivityNs + timeoutNs();
            // A deadline already passed still stands until the interrupt it brings is on the line.
            return deadline > nowNs.getAsLong() || !irqHigh ? deadline : NO_DEADLINE;
        }
        return NO_DEADLINE;
    }

    @Override
    public void update() {
        updateIrq();
    }

    private void updateIrq() {
        boolean high = (mcr & MCR_OUT2) != 0 && pendingInterrupt() != IIR_NONE;
        if (high != irqHigh) {
            irqHigh = high;
            irq.set(high);
        }
    }
}
