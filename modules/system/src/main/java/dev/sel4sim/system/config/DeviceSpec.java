package dev.sel4sim.system.config;

/** A hardware device the board model emulates for native components (e.g. a periodic timer). */
public record DeviceSpec(String name, String kind, int irq, long periodNs, int line) {}
