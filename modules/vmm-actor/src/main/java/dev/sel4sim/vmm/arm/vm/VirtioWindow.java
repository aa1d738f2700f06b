package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.virtio.mmio.VirtioMmioTransport;
import dev.sel4sim.vmm.arm.dt.VirtioMmioSlot;
import dev.sel4sim.vmm.cpu.MmioHandler;

/**
 * The 4 KiB page around a virtio-mmio window: the first 0x200 bytes are the transport's
 * registers, the rest of the page reads as zero and ignores writes (a page is the smallest
 * region the VMM traps).
 */
final class VirtioWindow implements MmioHandler {
    static final long PAGE = 0x1000;

    private final VirtioMmioTransport transport;

    VirtioWindow(VirtioMmioTransport transport) {
        this.transport = transport;
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        return offset < VirtioMmioSlot.SIZE ? transport.read(offset, size) : 0;
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        if (offset < VirtioMmioSlot.SIZE) {
            transport.write(offset, size, value);
        }
    }
}
