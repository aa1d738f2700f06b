package dev.sel4sim.vmm.x86.vm;

import java.util.Objects;

/**
 * A device of the board given to one VM, as camkes-vm's {@code ioports} and {@code irqs} lists give it:
 * the VM's port accesses in the range reach the board's device (not an emulated one), and the device's
 * interrupt, when routed, raises the VM's PIC line {@code destIrq}.
 *
 * @param device    the board's name for the device (e.g. {@code cmos-rtc}, {@code com2})
 * @param kind      what the board's device is
 * @param firstPort the first I/O port given
 * @param portCount how many ports from there
 * @param destIrq   the VM's 8259 line the device's interrupt raises, or -1 when its interrupt is not routed
 */
public record X86Passthrough(String device, Kind kind, int firstPort, int portCount, int destIrq) {
    /** The board devices the machine can stand for. */
    public enum Kind {
        /** The board's CMOS real-time clock: the host's wall clock, read through an MC146818. */
        CMOS_RTC,
        /** One of the board's 16550 UARTs: what the guest sends comes out on the board's serial line. */
        UART_16550
    }

    public X86Passthrough {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(kind, "kind");
        if (firstPort < 0 || portCount <= 0 || firstPort + portCount > 0x10000) {
            throw new IllegalArgumentException(String.format("passthrough %s: ports 0x%x+%d are outside 0-0xffff", device, firstPort, portCount));
        }
        if (destIrq < -1 || destIrq > 15 || destIrq == 2) {
            throw new IllegalArgumentException("passthrough " + device + ": line " + destIrq + "; give an 8259 input 0-15 other than 2 (the cascade)");
        }
    }
}
