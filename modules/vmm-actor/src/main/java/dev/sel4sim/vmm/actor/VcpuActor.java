package dev.sel4sim.vmm.actor;

import dev.sel4sim.vmm.arm.vm.ArmVm;
import dev.sel4sim.vmm.arm.vm.SliceOutcome;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One VCPU of a VM: runs guest code for the slice its VMM grants and answers with how the
 * slice ended. The guest's own exceptions (system calls, its page faults, undefined
 * instructions) are taken inside the slice; HVC/SMC calls and faults the VCPU cannot handle
 * come back to the VMM as {@link SliceOutcome}s, which is the VMM's fault IPC. A VCPU runs
 * only when granted, so the VCPUs of one VM never execute at the same time.
 */
public final class VcpuActor {
    /** What a VCPU actor is told. */
    public sealed interface Command {
    }

    /** Run at most {@code budget} instructions, then report. */
    public record RunSlice(long budget) implements Command {
    }

    private VcpuActor() {
    }

    public static Behavior<Command> create(ArmVm vm, int id, ActorRef<VmmCommand> vmm) {
        return Behaviors.receive(Command.class)
                .onMessage(RunSlice.class, m -> {
                    vmm.tell(new VmmCommand.SliceDone(vm.runSlice(id, m.budget())));
                    return Behaviors.same();
                })
                .build();
    }
}
