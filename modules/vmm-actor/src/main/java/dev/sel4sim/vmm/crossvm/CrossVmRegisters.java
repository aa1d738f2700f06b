package dev.sel4sim.vmm.crossvm;

/**
 * The register page of a cross-VM connector, as the guest sees it (little-endian, any access size; offsets
 * from the page's base). The first three follow camkes-vm's event BAR: emit at 0x0, consume at 0x4, the
 * connection's name from 0x8.
 *
 * <pre>
 * 0x00 DOORBELL  W   any write emits the guest's event to the component (reads 0)
 * 0x04 STATUS    RW  1 while an event from the component waits; a write acknowledges it and lowers the IRQ
 * 0x08 NAME      R   the connector's name, NUL padded, up to 55 bytes
 * 0x40 DATA_LO   R   guest-physical address of the dataport, low 32 bits
 * 0x44 DATA_HI   R   high 32 bits
 * 0x48 DATA_SIZE R   bytes in the dataport
 * 0x4c IRQ       R   the interrupt the component's events raise (a GIC INTID on ARM), 0 if none
 * 0x50 RUNG      R   doorbell writes so far (low 32 bits)
 * 0x54 EVENTS    R   events from the component so far (low 32 bits)
 * 0x58 MAGIC     R   0x4d565843 ("CXVM" in memory order)
 * </pre>
 * Everything else in the page reads as zero and ignores writes.
 */
public final class CrossVmRegisters {
    public static final int DOORBELL = 0x00;
    public static final int STATUS = 0x04;
    public static final int NAME = 0x08;
    /** Longest name: the NAME field is 56 bytes and always ends in NUL. */
    public static final int NAME_MAX = 55;
    public static final int DATA_LO = 0x40;
    public static final int DATA_HI = 0x44;
    public static final int DATA_SIZE = 0x48;
    public static final int IRQ = 0x4c;
    public static final int RUNG = 0x50;
    public static final int EVENTS = 0x54;
    public static final int MAGIC = 0x58;
    public static final int MAGIC_VALUE = 0x4d56_5843;
    /** Bytes of the page that hold registers. */
    static final int SPAN = 0x60;

    private CrossVmRegisters() {
    }
}
