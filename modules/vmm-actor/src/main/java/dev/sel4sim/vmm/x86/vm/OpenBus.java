package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.cpu.MmioHandler;

/**
 * Addresses above RAM where no device answers: as on a PC bus with nothing there, reads give all
 * ones and writes vanish (Linux reads its stack canary through a linear address before paging is
 * on; a guest probing for an absent IOAPIC reads 0xFFFFFFFF).
 */
final class OpenBus implements MmioHandler {
    @Override
    public long read(int vcpu, long offset, int size) {
        return -1L;
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
    }
}
