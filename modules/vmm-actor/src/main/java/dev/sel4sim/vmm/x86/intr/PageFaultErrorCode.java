package dev.sel4sim.vmm.x86.intr;

import java.util.function.LongToIntFunction;

/**
 * The error code of a #PF, which the engine does not report: rebuilt from a walk of the guest's
 * 32-bit (non-PAE) page tables for the faulting address. Present (bit 0) comes from the walk; user
 * (bit 2) from the privilege level at the fault. Write (bit 1) cannot be seen directly: a fault on a
 * present page that the access was allowed to read must have been a write, so it is set then; for a
 * page that is not present it is left clear. A guest then takes a read fault first and, if the access
 * was a write to a page it mapped read-only, a second (write) fault on retry, which is what Linux
 * handles anyway (a read fault maps the page, the write fault breaks copy-on-write).
 */
public final class PageFaultErrorCode {
    public static final int PRESENT = 1;
    public static final int WRITE = 2;
    public static final int USER = 4;

    private static final int P = 1;
    private static final int RW = 2;
    private static final int US = 4;
    private static final int PS = 0x80;

    private PageFaultErrorCode() {
    }

    /**
     * @param cr3       the page directory base
     * @param pse       CR4.PSE: 4 MiB pages
     * @param wp        CR0.WP: the supervisor obeys read-only pages
     * @param user      the access was made at CPL 3
     * @param linear    the faulting address (CR2)
     * @param physical  reads a 32-bit word of guest-physical memory; -1 when there is none (an
     *                  entry that cannot be read counts as not present)
     */
    public static int of(long cr3, boolean pse, boolean wp, boolean user, long linear, LongToIntFunction physical) {
        int code = user ? USER : 0;
        long pdeAt = (cr3 & 0xffff_f000L) + ((linear >>> 22) & 0x3ff) * 4;
        long pde = Integer.toUnsignedLong(physical.applyAsInt(pdeAt));
        if (pde == 0xffff_ffffL || (pde & P) == 0) {
            return code;
        }
        long flags;
        if ((pde & PS) != 0 && pse) {
            flags = pde;
        } else {
            long pteAt = (pde & 0xffff_f000L) + ((linear >>> 12) & 0x3ff) * 4;
            long pte = Integer.toUnsignedLong(physical.applyAsInt(pteAt));
            if (pte == 0xffff_ffffL || (pte & P) == 0) {
                return code;
            }
            // Both levels must allow an access for it to be allowed.
            flags = pte & pde;
        }
        code |= PRESENT;
        boolean readable = !user || (flags & US) != 0;
        boolean writable = (flags & RW) != 0 && (!user || (flags & US) != 0);
        if (readable && !writable && (user || wp)) {
            code |= WRITE;
        }
        return code;
    }
}
