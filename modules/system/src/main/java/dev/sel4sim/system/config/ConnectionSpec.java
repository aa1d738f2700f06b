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
     * A VM's cross-VM connector tied to a component: the connector's dataport frames shared with it, the
     * guest's doorbell signalling it, its signal raising the guest's event ({@code from = vm0.src, to = reverser}).
     */
    record CrossVm(String name, String vm, String connector, String to, int line) implements ConnectionSpec {}
}
