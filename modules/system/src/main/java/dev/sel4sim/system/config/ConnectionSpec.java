package dev.sel4sim.system.config;

import java.util.List;

/** A connection between components, each becoming kernel objects and capabilities. */
public sealed interface ConnectionSpec {
    String name();

    int line();

    /** Clients call the server through one endpoint; each client's cap has its own badge. */
    record Rpc(String name, List<String> from, String to, int line) implements ConnectionSpec {}

    /** Senders signal a notification the receiver waits on; each sender's badge is its own bit. */
    record Notify(String name, List<String> from, String to, int line) implements ConnectionSpec {}

    /** A device interrupt delivered to a driver through a notification and an IRQ handler. */
    record Irq(String name, int irq, String to, int line) implements ConnectionSpec {}

    /** Frames shared between components (a camkes dataport, a Microkit shared memory region). */
    record SharedData(String name, long size, List<String> between, int line) implements ConnectionSpec {}

    /**
     * VM consoles on a serial server: {@code vm} is the VM's emulated UART, {@code vm.dev} its
     * virtio-console device {@code dev}.
     */
    record Console(String name, List<String> from, String to, int line) implements ConnectionSpec {}

    /**
     * Ethernet links: each {@code from} endpoint (a VM's virtio-net device {@code vm.dev}, a network
     * component, or a component's port {@code component.port}) is cabled to {@code to}; a virtual
     * switch takes any number of them, anything else exactly one.
     */
    record Ethernet(String name, List<String> from, String to, int line) implements ConnectionSpec {}

    /**
     * Clients of a TimeServer: they call its endpoint (each with its own badge) and wait on a
     * notification of their own, which the TimeServer signals when a timeout completes.
     */
    record Timer(String name, List<String> from, String to, int line) implements ConnectionSpec {}

    /**
     * A VM's cross-VM connector tied to a component: the connector's dataport frames shared with it, the
     * guest's doorbell signalling it, its signal raising the guest's event ({@code from = vm0.src, to = reverser}).
     */
    record CrossVm(String name, String vm, String connector, String to, int line) implements ConnectionSpec {}
}
