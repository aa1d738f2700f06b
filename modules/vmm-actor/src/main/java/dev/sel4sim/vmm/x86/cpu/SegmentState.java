package dev.sel4sim.vmm.x86.cpu;

/**
 * A segment register with its hidden part, as the processor caches it after a load.
 *
 * @param selector the visible selector
 * @param base     the segment's linear base
 * @param limit    its limit in bytes (already scaled by the granularity bit)
 * @param flags    the descriptor's attribute bits in QEMU's layout (bits 8-23 of the descriptor's
 *                 high word: type, S, DPL, P, AVL, L, D/B, G); 0 when unknown
 */
public record SegmentState(int selector, long base, long limit, int flags) {
    /** The descriptor privilege level from {@link #flags()}. */
    public int dpl() {
        return (flags >>> 13) & 3;
    }
}
