package dev.sel4sim.vmm.run;

import java.util.List;

/**
 * A virtual machine as its VMM actor drives it, whatever the architecture: stepped one slice at
 * a time on the actor's thread, fed console input between slices, told about device work from
 * other threads. Everything but {@link #onDeviceWork} and {@link #deviceWorkPending} is called on
 * the VMM's thread only.
 */
public interface GuestVm extends AutoCloseable {
    /** The VM's name in its system file. */
    String name();

    /** Runs the VM's next slice (or reports that it is idle or over). */
    StepResult step();

    /** The VM's simulated time in nanoseconds. */
    long now();

    /** Free room in the console UART's receiver: how many input bytes {@link #consoleInput} takes now. */
    int consoleInputSpace();

    /** One byte typed at the VM's console; call {@link #wakeForInterrupts} after a batch. */
    void consoleInput(byte b);

    /** Input or device work arrived: a VCPU waiting for an interrupt should look again. */
    void wakeForInterrupts();

    /** Who to tell (from any thread) that device work waits for the VM's thread. */
    void onDeviceWork(Runnable listener);

    /** Whether device work waits to run (the VMM should step rather than sleep). From any thread. */
    boolean deviceWorkPending();

    /** The VM's virtio devices by their names, in the order of its spec: the system cables their streams. */
    List<VmDevice> devices();

    /** What the VMM noticed and let pass (an unhandled call, a broken device), in order. */
    List<String> notes();

    /** Records something the VMM let pass (from the VM's thread or a device's); {@link #notes()} returns it. */
    void note(String line);

    /** The VM's cross-VM connectors, in the order its configuration gives them. */
    default List<dev.sel4sim.vmm.crossvm.CrossVmConnector> crossVm() {
        return List.of();
    }

    /** Exit and slice counters for the end-of-run report. */
    String stats();

    @Override
    void close();
}
