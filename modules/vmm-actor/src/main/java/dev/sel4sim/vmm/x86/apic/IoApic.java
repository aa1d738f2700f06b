package dev.sel4sim.vmm.x86.apic;

import dev.sel4sim.vmm.cpu.MmioHandler;

import java.util.function.Consumer;

/**
 * An I/O APIC (version 0x20, 24 pins) at 0xFEC00000: IOREGSEL at offset 0x00, IOWIN at 0x10 and the
 * directed EOI register at 0x40; behind the window the ID, version, arbitration ID and the
 * redirection table.
 *
 * <p>Inputs are logical levels (asserted or not) whatever the programmed polarity. An edge-triggered
 * pin sends one message per rising edge; an edge that arrives while the pin is masked is kept and sent
 * on unmask. A level-triggered pin sends while asserted, then sets remote IRR and stays quiet until
 * the EOI for its vector (from a local APIC broadcast or the EOI register) clears it; if the line is
 * still asserted then, it sends again.
 */
public final class IoApic implements MmioHandler {
    public static final long BASE = 0xfec0_0000L;
    public static final int PINS = 24;
    private static final int VERSION_VALUE = ((PINS - 1) << 16) | 0x20;
    private static final long MASKED = 1L << 16;
    private static final long LEVEL = 1L << 15;
    private static final long REMOTE_IRR = 1L << 14;
    /** Vector, delivery mode, destination mode, polarity, trigger, mask and destination. */
    private static final long WRITABLE = 0xff00_0000_0001_afffL;

    private final Consumer<IoApicMessage> sink;
    private int id;
    private int select;
    private final long[] redirection = new long[PINS];
    /** Asserted inputs. */
    private int levels;
    /** Rising edges not yet sent. */
    private int pendingEdges;

    /**
     * @param id the IOAPIC's ID (bits 27:24 of register 0)
     * @param sink where interrupt messages go
     */
    public IoApic(int id, Consumer<IoApicMessage> sink) {
        this.id = id & 0xf;
        this.sink = sink;
        for (int i = 0; i < PINS; i++) {
            redirection[i] = MASKED;
        }
    }

    /** Sets the level of input {@code pin}; pins outside 0-23 are ignored. */
    public void setIrq(int pin, boolean asserted) {
        if (pin < 0 || pin >= PINS) {
            return;
        }
        int bit = 1 << pin;
        boolean was = (levels & bit) != 0;
        levels = asserted ? levels | bit : levels & ~bit;
        if (asserted && !was && (redirection[pin] & LEVEL) == 0) {
            pendingEdges |= bit;
        }
        service(pin);
    }

    /** The EOI for {@code vector}: clears remote IRR of the level-triggered pins that sent it. */
    public void endOfInterrupt(int vector) {
        for (int pin = 0; pin < PINS; pin++) {
            long e = redirection[pin];
            if ((e & LEVEL) != 0 && (e & REMOTE_IRR) != 0 && (e & 0xff) == (vector & 0xff)) {
                redirection[pin] = e & ~REMOTE_IRR;
                service(pin);
            }
        }
    }

    /** The redirection entry of {@code pin}, for logs and for the VMM's routing checks. */
    public long redirectionEntry(int pin) {
        return redirection[pin];
    }

    private void service(int pin) {
        long e = redirection[pin];
        int bit = 1 << pin;
        if ((e & MASKED) != 0) {
            return;
        }
        if ((e & LEVEL) != 0) {
            if ((levels & bit) == 0 || (e & REMOTE_IRR) != 0) {
                return;
            }
            redirection[pin] = e | REMOTE_IRR;
        } else {
            if ((pendingEdges & bit) == 0) {
                return;
            }
            pendingEdges &= ~bit;
        }
        sink.accept(new IoApicMessage(pin, (int) (e & 0xff), (int) ((e >> 8) & 7), (e & (1L << 11)) != 0,
                (int) (e >>> 56), (e & LEVEL) != 0));
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        return switch ((int) offset) {
            case 0x00 -> select;
            case 0x10 -> readRegister(select) & 0xffff_ffffL;
            default -> 0;
        };
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        switch ((int) offset) {
            case 0x00 -> select = (int) value & 0xff;
            case 0x10 -> writeRegister(select, (int) value);
            case 0x40 -> endOfInterrupt((int) value & 0xff);
            default -> {
            }
        }
    }

    private int readRegister(int reg) {
        if (reg >= 0x10 && reg < 0x10 + 2 * PINS) {
            long e = redirection[(reg - 0x10) >> 1];
            return (reg & 1) == 0 ? (int) e : (int) (e >>> 32);
        }
        return switch (reg) {
            case 0x00, 0x02 -> id << 24;
            case 0x01 -> VERSION_VALUE;
            default -> 0;
        };
    }

    private void writeRegister(int reg, int value) {
        if (reg == 0x00) {
            id = (value >>> 24) & 0xf;
            return;
        }
        if (reg < 0x10 || reg >= 0x10 + 2 * PINS) {
            return;
        }
        int pin = (reg - 0x10) >> 1;
        long old = redirection[pin];
        long written = (reg & 1) == 0
                ? (old & 0xffff_ffff_0000_0000L) | (value & 0xffff_ffffL)
                : (old & 0xffff_ffffL) | ((long) value << 32);
        long entry = (written & WRITABLE) | (old & REMOTE_IRR);
        if ((entry & LEVEL) == 0) {
            entry &= ~REMOTE_IRR; // remote IRR means nothing for an edge-triggered pin
        }
        redirection[pin] = entry;
        service(pin);
    }
}
