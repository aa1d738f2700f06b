package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.virtio.mmio.VirtioMmioTransport;
import dev.sel4sim.vmm.cpu.MmioHandler;

/**
 * The page a virtio-mmio window occupies: the transport's registers in its first 0x200 bytes (virtio
 * 1.x section 4.2.2), the rest reads as zero and ignores writes.
 */
final class VirtioMmioPage implements MmioHandler {
    private static final long REGISTERS = 0x200;

    private final VirtioMmioTransport transport;

    VirtioMmioPage(VirtioMmioTransport transport) {
        this.transport = transport;
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        return offset < REGISTERS ? transport.read(offset, size) : 0;
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        if (offset < REGISTERS) {
            transport.write(offset, size, value);
        }
    }
}
