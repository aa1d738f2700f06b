package dev.sel4sim.vmm.x86.pic;

import dev.sel4sim.vmm.x86.dev.IoPortHandler;
import dev.sel4sim.vmm.x86.dev.IrqLine;

import java.util.OptionalInt;

/**
 * The PC's two cascaded 8259A interrupt controllers: the master at ports 0x20/0x21 with the slave's
 * output on its input 2, the slave at 0xA0/0xA1 carrying IRQ 8-15, and the edge/level control
 * registers (ELCR) at 0x4D0/0x4D1. Register the one handler for all three port pairs.
 *
 * <p>The master's output drives {@code cpuLine}; when the VCPU can take an interrupt the VMM calls
 * {@link #acknowledge()} for the vector, as the processor's INTA cycles would.
 */
public final class Pic8259Pair implements IoPortHandler {
    public static final int MASTER_COMMAND = 0x20;
    public static final int MASTER_DATA = 0x21;
    public static final int SLAVE_COMMAND = 0xa0;
    public static final int SLAVE_DATA = 0xa1;
    public static final int ELCR_MASTER = 0x4d0;
    public static final int ELCR_SLAVE = 0x4d1;
    /** The master input the slave is cascaded on. */
    public static final int CASCADE_IRQ = 2;

    private final Pic8259 master = new Pic8259(0xf8); // IRQ 0-2 are edge-only on a PC
    private final Pic8259 slave = new Pic8259(0xde);  // and so are IRQ 8 and 13
    private final IrqLine cpuLine;
    private boolean cpuLineHigh;

    public Pic8259Pair(IrqLine cpuLine) {
        this.cpuLine = cpuLine;
    }

    /**
     * Sets the level of ISA interrupt input {@code irq} (0-15). IRQ 2 is the cascade and other numbers
     * do not exist: both are ignored. Edge-triggered inputs latch a rising edge until acknowledged even
     * if the line falls again, so a device may {@link IrqLine#pulse() pulse} its line.
     */
    public void setIrq(int irq, boolean high) {
        if (irq < 0 || irq > 15 || irq == CASCADE_IRQ) {
            return;
        }
        if (irq < 8) {
            master.setInput(irq, high);
        } else {
            slave.setInput(irq - 8, high);
        }
        update();
    }

    /** True when the master asks the processor for an interrupt. */
    public boolean interruptPending() {
        return master.highestRequest(CASCADE_IRQ) >= 0;
    }

    /** The vector {@link #acknowledge()} would return, without acknowledging; empty when none is pending. */
    public OptionalInt pendingVector() {
        int irq = master.highestRequest(CASCADE_IRQ);
        if (irq < 0) {
            return OptionalInt.empty();
        }
        if (irq == CASCADE_IRQ) {
            int s = slave.highestRequest(-1);
            return OptionalInt.of(slave.vectorBase + (s < 0 ? 7 : s));
        }
        return OptionalInt.of(master.vectorBase + irq);
    }

    /**
     * The processor's interrupt acknowledge: moves the highest-priority request into service and
     * returns its vector. With no request left (it went away) the answer is the spurious IRQ 7 of the
     * chip concerned, with nothing put in service, as the hardware does.
     */
    public int acknowledge() {
        int irq = master.highestRequest(CASCADE_IRQ);
        int vector;
        if (irq < 0) {
            vector = master.vectorBase + 7;
        } else {
            master.acknowledge(irq);
            if (irq == CASCADE_IRQ) {
                int s = slave.highestRequest(-1);
                if (s < 0) {
                    vector = slave.vectorBase + 7;
                } else {
                    slave.acknowledge(s);
                    vector = slave.vectorBase + s;
                }
            } else {
                vector = master.vectorBase + irq;
            }
        }
        update();
        return vector;
    }

    @Override
    public int read(int port, int size) {
        int value = switch (port) {
            case MASTER_COMMAND -> master.poll ? master.pollRead(CASCADE_IRQ) : master.readCommand();
            case MASTER_DATA -> master.imr;
            case SLAVE_COMMAND -> slave.poll ? slave.pollRead(-1) : slave.readCommand();
            case SLAVE_DATA -> slave.imr;
            case ELCR_MASTER -> master.readElcr();
            case ELCR_SLAVE -> slave.readElcr();
            default -> 0xff;
        };
        update();
        return value & 0xff;
    }

    @Override
    public void write(int port, int size, int value) {
        int b = value & 0xff;
        switch (port) {
            case MASTER_COMMAND -> master.writeCommand(b);
            case MASTER_DATA -> master.writeData(b);
            case SLAVE_COMMAND -> slave.writeCommand(b);
            case SLAVE_DATA -> slave.writeData(b);
            case ELCR_MASTER -> master.writeElcr(b);
            case ELCR_SLAVE -> slave.writeElcr(b);
            default -> {
            }
        }
        update();
    }

    /** The master's vector base as programmed by ICW2 (for logs and for checks). */
    public int masterVectorBase() {
        return master.vectorBase;
    }

    /** The slave's vector base as programmed by ICW2. */
    public int slaveVectorBase() {
        return slave.vectorBase;
    }

    /** Carries the slave's output to the master's cascade input and the master's to the processor. */
    private void update() {
        master.setLevelInput(CASCADE_IRQ, slave.highestRequest(-1) >= 0);
        boolean high = master.highestRequest(CASCADE_IRQ) >= 0;
        if (high != cpuLineHigh) {
            cpuLineHigh = high;
            cpuLine.set(high);
        }
    }
}
