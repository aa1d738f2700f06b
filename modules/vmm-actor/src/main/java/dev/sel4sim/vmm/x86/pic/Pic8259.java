package dev.sel4sim.vmm.x86.pic;

/**
 * One 8259A: request, in-service and mask registers, the initialisation sequence (ICW1-4), the
 * operation commands (OCW1-3) and rotating priorities. {@link Pic8259Pair} wires two of them into the
 * PC's cascade; this class knows nothing of the other chip.
 */
final class Pic8259 {
    /** Inputs the ELCR may make level-triggered (bits that stay 0 are edge-only on a PC). */
    private final int elcrMask;

    int irr;
    int isr;
    int imr;
    /** Input levels as last seen, for edge detection. */
    int lastLevels;
    int elcr;
    int vectorBase;
    /** The input with the highest priority; rotation moves it. */
    int priorityBase;
    boolean readIsr;
    boolean poll;
    boolean specialMask;
    boolean autoEoi;
    boolean rotateOnAutoEoi;
    boolean specialFullyNested;
    /** ICW1.LTIM: every input level-triggered. */
    boolean levelTriggeredAll;
    /** 0 when initialised; 2, 3 or 4 while that ICW is expected next. */
    int expectedIcw;
    boolean needIcw4;
    boolean single;
    int icw3;

    Pic8259(int elcrMask) {
        this.elcrMask = elcrMask;
    }

    void setInput(int irq, boolean high) {
        int bit = 1 << irq;
        if (isLevelTriggered(irq)) {
            if (high) {
                irr |= bit;
                lastLevels |= bit;
            } else {
                irr &= ~bit;
                lastLevels &= ~bit;
            }
        } else if (high) {
            if ((lastLevels & bit) == 0) {
                irr |= bit;
            }
            lastLevels |= bit;
        } else {
            lastLevels &= ~bit;
        }
    }

    /**
     * Drives an input as a level whatever the trigger mode: the slave's output on the master's cascade
     * input is a level, and a latched request there would outlive the slave's own.
     */
    void setLevelInput(int irq, boolean high) {
        int bit = 1 << irq;
        irr = high ? irr | bit : irr & ~bit;
        lastLevels = high ? lastLevels | bit : lastLevels & ~bit;
    }

    boolean isLevelTriggered(int irq) {
        return levelTriggeredAll || (elcr & (1 << irq)) != 0;
    }

    /** 0 for the highest-priority input set in {@code bits}, 7 for the lowest, 8 for none. */
    private int priorityOf(int bits) {
        if ((bits & 0xff) == 0) {
            return 8;
        }
        int p = 0;
        while ((bits & (1 << ((p + priorityBase) & 7))) == 0) {
            p++;
        }
        return p;
    }

    /**
     * The input that would be acknowledged now: the highest-priority unmasked request above every
     * input in service (special mask mode ignores masked in-service inputs; special fully nested
     * mode lets the cascade input interrupt itself). -1 when none.
     */
    int highestRequest(int cascadeInput) {
        int p = priorityOf(irr & ~imr);
        if (p == 8) {
            return -1;
        }
        int inService = isr;
        if (specialMask) {
            inService &= ~imr;
        }
        if (specialFullyNested && cascadeInput >= 0) {
            inService &= ~(1 << cascadeInput);
        }
        return p < priorityOf(inService) ? (p + priorityBase) & 7 : -1;
    }

    /** The processor takes {@code irq}: it moves from requested to in service. */
    void acknowledge(int irq) {
        int bit = 1 << irq;
        if (!isLevelTriggered(irq)) {
            irr &= ~bit;
        }
        if (autoEoi) {
            if (rotateOnAutoEoi) {
                priorityBase = (irq + 1) & 7;
            }
        } else {
            isr |= bit;
        }
    }

    void writeCommand(int value) {
        if ((value & 0x10) != 0) {
            initialise(value);
        } else if ((value & 0x08) != 0) {
            operationCommand3(value);
        } else {
            operationCommand2(value);
        }
    }

    void writeData(int value) {
        switch (expectedIcw) {
            case 2 -> {
                vectorBase = value & 0xf8;
                expectedIcw = single ? (needIcw4 ? 4 : 0) : 3;
            }
            case 3 -> {
                icw3 = value;
                expectedIcw = needIcw4 ? 4 : 0;
            }
            case 4 -> {
                autoEoi = (value & 0x02) != 0;
                specialFullyNested = (value & 0x10) != 0;
                expectedIcw = 0;
            }
            default -> imr = value & 0xff;
        }
    }

    /** OCW3 poll: acknowledges like INTA and returns 0x80 | input, or 0 when nothing is requested. */
    int pollRead(int cascadeInput) {
        poll = false;
        int irq = highestRequest(cascadeInput);
        if (irq < 0) {
            return 0;
        }
        acknowledge(irq);
        return 0x80 | irq;
    }

    int readCommand() {
        return readIsr ? isr : irr;
    }

    int readElcr() {
        return elcr;
    }

    void writeElcr(int value) {
        elcr = value & elcrMask;
    }

    private void initialise(int icw1) {
        // ICW1 clears the mask, the in-service bits and the edge detectors and resets priorities.
        imr = 0;
        isr = 0;
        irr &= elcr;
        lastLevels = 0;
        priorityBase = 0;
        readIsr = false;
        poll = false;
        specialMask = false;
        autoEoi = false;
        rotateOnAutoEoi = false;
        specialFullyNested = false;
        needIcw4 = (icw1 & 0x01) != 0;
        single = (icw1 & 0x02) != 0;
        levelTriggeredAll = (icw1 & 0x08) != 0;
        expectedIcw = 2;
    }

    private void operationCommand2(int value) {
        int level = value & 7;
        switch (value >> 5) {
            case 0b001, 0b101 -> {
                int p = priorityOf(isr);
                if (p < 8) {
                    int irq = (p + priorityBase) & 7;
                    isr &= ~(1 << irq);
                    if ((value >> 5) == 0b101) {
                        priorityBase = (irq + 1) & 7;
                    }
                }
            }
            case 0b011 -> isr &= ~(1 << level);
            case 0b111 -> {
                isr &= ~(1 << level);
                priorityBase = (level + 1) & 7;
            }
            case 0b110 -> priorityBase = (level + 1) & 7;
            case 0b100 -> rotateOnAutoEoi = true;
            case 0b000 -> rotateOnAutoEoi = false;
            default -> {
            }
        }
    }

    private void operationCommand3(int value) {
        if ((value & 0x04) != 0) {
            poll = true;
        }
        if ((value & 0x02) != 0) {
            readIsr = (value & 0x01) != 0;
        }
        if ((value & 0x40) != 0) {
            specialMask = (value & 0x20) != 0;
        }
    }
}
