package dev.sel4sim.vmm.x86.decode;

/** Segment registers in their encoding order (the order of the Sreg field). */
public enum Segment {
    ES, CS, SS, DS, FS, GS
}
