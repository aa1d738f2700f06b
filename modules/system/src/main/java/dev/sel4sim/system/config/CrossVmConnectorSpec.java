package dev.sel4sim.system.config;

/**
 * A cross-VM connector of a VM as the system file gives it
 * ({@code cross-vm = [ { name = src, dataport = 4K, address = 0xdf000000 } ]}): the guest finds its register
 * page at {@code address} and its dataport of {@code dataportSize} bytes right after it. A {@code cross-vm}
 * connection ties it to a component.
 */
public record CrossVmConnectorSpec(String name, long dataportSize, long address, int line) {
}
