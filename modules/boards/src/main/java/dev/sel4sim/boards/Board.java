package dev.sel4sim.boards;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A board: the physical machine the simulated seL4 runs on. Obtain one with {@link Boards#load(String)}.
 *
 * @param id                  the board's id, e.g. {@code "zcu102"} (its file is {@code boards/<id>.conf})
 * @param name                a human name
 * @param architecture        the instruction set seL4 runs in
 * @param cpu                 the cores
 * @param memory              the RAM banks, sorted by address, not overlapping
 * @param interruptController the GIC or the APICs
 * @param uarts               the UARTs; exactly one is the console
 * @param timer               the generic timer or the PC timers
 * @param stage2              physical-address bits and the derived stage-2 (or EPT) shape
 * @param smc                 the default SMC policy for guests
 * @param passthrough         representative devices that can be given to a VM
 * @param physicalIrqCount    the interrupt numbers seL4 accepts on this board ({@code MAX_IRQ + 1} on ARM,
 *                            the IOAPIC lines on x86); every IRQ of the board is below it
 * @param sources             where the values come from (file names in public repositories)
 */
public record Board(String id, String name, Architecture architecture, Cpu cpu, List<MemoryRegion> memory,
                    InterruptController interruptController, List<Uart> uarts, Timer timer, Stage2 stage2,
                    SmcPolicy smc, List<PassthroughDevice> passthrough, int physicalIrqCount,
                    List<String> sources) {

    /** Checks the fields and copies the lists. */
    public Board {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(interruptController, "interruptController");
        Objects.requireNonNull(timer, "timer");
        Objects.requireNonNull(stage2, "stage2");
        Objects.requireNonNull(smc, "smc");
        memory = List.copyOf(memory);
        uarts = List.copyOf(uarts);
        passthrough = List.copyOf(passthrough);
        sources = List.copyOf(sources);
        if (memory.isEmpty()) {
            throw new IllegalArgumentException("a board needs at least one memory region");
        }
        if (uarts.stream().filter(Uart::console).count() != 1) {
            throw new IllegalArgumentException("exactly one UART must be the console");
        }
    }

    /** @return the UART seL4 prints its console on */
    public Uart consoleUart() {
        return uarts.stream().filter(Uart::console).findFirst().orElseThrow();
    }

    /**
     * @param uartName a UART's name
     * @return that UART, if the board has it
     */
    public Optional<Uart> uart(String uartName) {
        return uarts.stream().filter(u -> u.name().equals(uartName)).findFirst();
    }

    /**
     * @param deviceName a passthrough device's name
     * @return that device, if the board lists it
     */
    public Optional<PassthroughDevice> device(String deviceName) {
        return passthrough.stream().filter(d -> d.name().equals(deviceName)).findFirst();
    }

    /** @return the total RAM in bytes */
    public long ramSize() {
        return memory.stream().mapToLong(MemoryRegion::size).sum();
    }

    /**
     * @param address a physical address
     * @return true if it lies in one of the RAM banks
     */
    public boolean isRam(long address) {
        return memory.stream().anyMatch(r -> r.contains(address));
    }
}
