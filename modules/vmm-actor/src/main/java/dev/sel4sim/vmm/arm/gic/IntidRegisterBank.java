package dev.sel4sim.vmm.arm.gic;

/**
 * The per-INTID register arrays that the GICv2 distributor, the GICv3 distributor and the GICv3
 * redistributor's SGI frame lay out the same way (offsets relative to the frame):
 * IGROUPR 0x080, ISENABLER 0x100, ICENABLER 0x180, ISPENDR 0x200, ICPENDR 0x280, ISACTIVER 0x300,
 * ICACTIVER 0x380, IPRIORITYR 0x400, ITARGETSR 0x800 (GICv2 only), ICFGR 0xC00. Each window serves a range
 * of INTIDs; the others read as zero there and ignore writes.
 */
final class IntidRegisterBank {

    static final int IGROUPR = 0x080;
    static final int ISENABLER = 0x100;
    static final int ICENABLER = 0x180;
    static final int ISPENDR = 0x200;
    static final int ICPENDR = 0x280;
    static final int ISACTIVER = 0x300;
    static final int ICACTIVER = 0x380;
    static final int IPRIORITYR = 0x400;
    static final int ITARGETSR = 0x800;
    static final int ICFGR = 0xC00;
    static final int END = 0xD00;

    private final GicDistributor d;

    IntidRegisterBank(GicDistributor d) {
        this.d = d;
    }

    /** @return whether the offset falls in this bank's registers */
    static boolean covers(int offset) {
        return offset >= IGROUPR && offset < END;
    }

    /**
     * @param vcpu   the VCPU whose bank of SGIs and PPIs is seen
     * @param offset word-aligned offset in the frame
     * @param lo     first INTID this window serves
     * @param hi     one past the last
     */
    int read(int vcpu, int offset, int lo, int hi) {
        if (offset >= ICFGR) {
            return readConfig(vcpu, (offset - ICFGR) * 4, lo, hi);
        }
        if (offset >= ITARGETSR) {
            return readBytes(vcpu, offset - ITARGETSR, lo, hi, true);
        }
        if (offset >= IPRIORITYR) {
            return readBytes(vcpu, offset - IPRIORITYR, lo, hi, false);
        }
        int base = offset & ~0x7F;
        int first = (offset - base) * 8;
        int word = 0;
        for (int bit = 0; bit < 32; bit++) {
            int intid = first + bit;
            if (intid < lo || intid >= hi || !d.implemented(intid)) {
                continue;
            }
            boolean set = switch (base) {
                case IGROUPR -> d.isGroup1(vcpu, intid);
                case ISENABLER, ICENABLER -> d.isEnabled(vcpu, intid);
                case ISPENDR, ICPENDR -> d.isPending(vcpu, intid);
                default -> d.isActive(vcpu, intid);
            };
            if (set) {
                word |= 1 << bit;
            }
        }
        return word;
    }

    /**
     * @param value the written bytes, in place
     * @param mask  ones over the bytes written
     */
    void write(int vcpu, int offset, int value, int mask, int lo, int hi) {
        if (offset >= ICFGR) {
            writeConfig(vcpu, (offset - ICFGR) * 4, value, mask, lo, hi);
            return;
        }
        if (offset >= ITARGETSR) {
            writeBytes(vcpu, offset - ITARGETSR, value, mask, lo, hi, true);
            return;
        }
        if (offset >= IPRIORITYR) {
            writeBytes(vcpu, offset - IPRIORITYR, value, mask, lo, hi, false);
            return;
        }
        int base = offset & ~0x7F;
        int first = (offset - base) * 8;
        for (int bit = 0; bit < 32; bit++) {
            int intid = first + bit;
            if ((mask & (1 << bit)) == 0 || intid < lo || intid >= hi || !d.implemented(intid)) {
                continue;
            }
            boolean one = (value & (1 << bit)) != 0;
            switch (base) {
                case IGROUPR -> d.setGroup1(vcpu, intid, one);
                case ISENABLER -> { if (one) d.setEnabled(vcpu, intid, true); }
                case ICENABLER -> { if (one) d.setEnabled(vcpu, intid, false); }
                case ISPENDR -> { if (one) d.setLatched(vcpu, intid, true); }
                case ICPENDR -> { if (one) d.setLatched(vcpu, intid, false); }
                case ISACTIVER -> { if (one) d.setActive(vcpu, intid, true); }
                default -> { if (one) d.setActive(vcpu, intid, false); }
            }
        }
    }

    private int readBytes(int vcpu, int first, int lo, int hi, boolean targets) {
        int word = 0;
        for (int i = 0; i < 4; i++) {
            int intid = first + i;
            if (intid < lo || intid >= hi || !d.implemented(intid)) {
                continue;
            }
            int b = targets ? targetByte(vcpu, intid) : d.priority(vcpu, intid);
            word |= (b & 0xFF) << (8 * i);
        }
        return word;
    }

    private void writeBytes(int vcpu, int first, int value, int mask, int lo, int hi, boolean targets) {
        for (int i = 0; i < 4; i++) {
            int intid = first + i;
            if ((mask & (0xFF << (8 * i))) == 0 || intid < lo || intid >= hi || !d.implemented(intid)) {
                continue;
            }
            int b = (value >>> (8 * i)) & 0xFF;
            if (!targets) {
                d.setPriority(vcpu, intid, b);
            } else if (!d.affinityRouting() && intid >= GicDistributor.PRIVATE && d.vcpuCount() > 1) {
                d.setTarget(intid, b);
            }
        }
    }

    /**
     * GICv2 ITARGETSR: for SGIs and PPIs the reading CPU's own bit; for SPIs the stored mask. A GIC with
     * one CPU interface reads all of it as zero; with affinity routing the whole array is RES0.
     */
    private int targetByte(int vcpu, int intid) {
        if (d.affinityRouting() || d.vcpuCount() == 1) {
            return 0;
        }
        return intid < GicDistributor.PRIVATE ? 1 << vcpu : d.target(intid);
    }

    /** ICFGR: two bits per INTID, the upper one set for edge-triggered. */
    private int readConfig(int vcpu, int first, int lo, int hi) {
        int word = 0;
        for (int f = 0; f < 16; f++) {
            int intid = first + f;
            if (intid >= lo && intid < hi && d.implemented(intid) && d.isEdge(vcpu, intid)) {
                word |= 2 << (2 * f);
            }
        }
        return word;
    }

    private void writeConfig(int vcpu, int first, int value, int mask, int lo, int hi) {
        for (int f = 0; f < 16; f++) {
            int intid = first + f;
            int bit = 2 << (2 * f);
            if ((mask & bit) != 0 && intid >= lo && intid < hi && d.implemented(intid)) {
                d.setEdge(vcpu, intid, (value & bit) != 0);
            }
        }
    }
}
