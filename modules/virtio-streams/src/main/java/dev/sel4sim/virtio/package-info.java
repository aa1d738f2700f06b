/**
 * Virtio devices for the VMM: virtqueues over guest memory, the virtio-mmio and legacy virtio-pci transports, and
 * devices: console and net, whose host side is a Pekko Streams source and sink, and blk, which serves its disk
 * synchronously at each queue notification (a disk has no host-side stream).
 *
 * <h2>Layers</h2>
 * <ul>
 * <li>{@code mem}: {@link dev.sel4sim.virtio.mem.GuestMemory}, bounds-checked access to the VMM's guest RAM
 * segments by guest-physical address, zero copy.</li>
 * <li>{@code queue}: the split virtqueue; every chain is validated before a device sees it, and a driver's
 * mistake becomes a {@link dev.sel4sim.virtio.queue.VirtqueueError}.</li>
 * <li>{@code transport}: what every transport shares (status, feature negotiation, queues, interrupt status and
 * its level line). It catches every error of its device: the device gets DEVICE_NEEDS_RESET, nothing else is
 * affected.</li>
 * <li>{@code mmio}: the register window the VMM routes guest MMIO to, legacy or modern; {@code pci}: the legacy
 * virtio-pci I/O register block an x86 VMM puts behind a PCI function's BAR0.</li>
 * <li>{@code device}: the {@link dev.sel4sim.virtio.device.VirtioDevice} contract between a transport and a
 * device type.</li>
 * <li>{@code stream}: where the device meets Pekko Streams; {@code console}, {@code net} and {@code blk}: the
 * devices.</li>
 * </ul>
 *
 * <h2>Threads: all guest-memory work on the VM's thread</h2>
 * The guest writes its rings while its VCPUs run, so a device must never read or write guest memory
 * concurrently with a VCPU of its VM. The rule here: <b>transports, devices, virtqueues and guest memory are
 * touched only on the thread that owns the VM</b>, and only while no VCPU of that VM executes, either
 * <ol>
 * <li>inside an MMIO access (the VCPU is stopped in its exit), or</li>
 * <li>in a task the VMM runs between VCPU slices by calling
 * {@link dev.sel4sim.virtio.stream.GuestWorkQueue#runPending()}.</li>
 * </ol>
 * The stream stages ({@link dev.sel4sim.virtio.stream.GuestOutputSource},
 * {@link dev.sel4sim.virtio.stream.GuestInputSink}) run on Pekko's threads and never touch guest memory: they
 * submit small port operations (credit granted, element offered) to that executor, and the device answers
 * through the stages' async callbacks (a batch of elements for downstream, a number of elements to pull). Queue
 * notifications arrive through MMIO on the VM's thread and act at once; data from the host reaches the guest at the
 * next drain, which the work queue's wake-up asks the VMM for at once. Because the VMM decides when the work runs, a
 * deterministic run can drain at quantum boundaries.
 *
 * <p>Wiring in a VMM, in outline:
 * <pre>{@code
 * GuestWorkQueue work = new GuestWorkQueue(() -> self.tell(new DrainDeviceWork()));
 * VirtioConsole console = new VirtioConsole(work);
 * VirtioMmioTransport window = new VirtioMmioTransport(console,
 *         SegmentGuestMemory.of(ram.base(), ram.segment()), MmioMode.MODERN,
 *         level -> vgic.setLevel(spi, level), error -> log.warn("virtio-console: {}", error));
 * // MMIO handler for the window: window.read(offset, size) / window.write(offset, size, value)
 * // between VCPU slices, and on DrainDeviceWork: work.runPending()
 * console.guestOutput().runWith(serialServerSink, system);
 * }</pre>
 *
 * <h2>Backpressure</h2>
 * A device takes a transmit chain from the guest only when its output stream has credit (a bounded number of
 * elements ahead of downstream demand), so an unread guest's transmit queue fills; what one drain takes goes to the
 * stream in one hop. It asks its input stream for as many elements as the guest has posted receive buffers, once
 * the elements already waiting are delivered, so a guest without buffers leaves its upstream unpulled, while one
 * with many buffers gets a batch per drain: one used-ring update run and one interrupt decision per batch. At most
 * as many elements wait inside the device as the guest had buffers posted when they were asked for.
 */
package dev.sel4sim.virtio;
