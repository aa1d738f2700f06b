package dev.sel4sim.servers;

/** Where a serial component's output goes: the host terminal, or a test's collector. */
@FunctionalInterface
public interface Console {
    void line(String text);

    Console STDOUT = text -> {
        System.out.println(text);
        System.out.flush();
    };
}
