package dev.sel4sim.vmm.x86.vm;

/**
 * A minimal PC: RAM below 640 KiB and from 1 MiB, the VGA text buffer, the PIC pair and the PIT.
 *
 * @param ramBytes          total RAM; what lies above 1 MiB is {@code ramBytes - 1 MiB}
 * @param nsPerInstruction  simulated time per counted guest instruction
 */
public record X86MachineConfig(long ramBytes, long nsPerInstruction) {
    public static final long LOW_RAM = 640 * 1024;
    public static final long HIGH_BASE = 0x10_0000;

    public X86MachineConfig {
        if (ramBytes < 2 * HIGH_BASE || (ramBytes & 0xfff) != 0 || ramBytes > 0xc000_0000L) {
            throw new IllegalArgumentException("RAM of " + ramBytes + " bytes: give 2 MiB to 3 GiB, page aligned");
        }
        if (nsPerInstruction <= 0) {
            throw new IllegalArgumentException("nsPerInstruction must be positive");
        }
    }

    /** Memory from 1 MiB up, in KiB (Multiboot's mem_upper). */
    public long upperKiB() {
        return (ramBytes - HIGH_BASE) / 1024;
    }
}
