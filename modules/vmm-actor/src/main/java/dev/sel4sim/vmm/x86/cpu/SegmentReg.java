package dev.sel4sim.vmm.x86.cpu;

/** The six segment registers, plus the local descriptor table and task registers, which are segments too. */
public enum SegmentReg { ES, CS, SS, DS, FS, GS, LDTR, TR }
