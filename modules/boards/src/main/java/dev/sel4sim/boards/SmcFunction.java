package dev.sel4sim.boards;

import java.util.Objects;

/**
 * An SMC Calling Convention function ID known on a board.
 *
 * @param id   the 32-bit function ID, e.g. {@code 0xc2000006}
 * @param name its name in the firmware or kernel source, e.g. {@code "IMX_SIP_GET_SOC_INFO"}
 * @param note what it is for; may be empty
 */
public record SmcFunction(long id, String name, String note) {

    /** Checks the fields. */
    public SmcFunction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(note, "note");
        if (id < 0 || id > 0xffff_ffffL) {
            throw new IllegalArgumentException("an SMC function ID is 32 bits");
        }
    }

    /** @return true for a fast call (bit 31) */
    public boolean fastCall() {
        return (id & 0x8000_0000L) != 0;
    }

    /** @return true for the SMC64 calling convention (bit 30) */
    public boolean smc64() {
        return (id & 0x4000_0000L) != 0;
    }

    /** @return the owning entity number (bits 29..24), e.g. 2 for SiP, 4 for standard secure (PSCI) */
    public int owner() {
        return (int) ((id >>> 24) & 0x3f);
    }
}
