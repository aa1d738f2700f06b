package dev.sel4sim.system.assembly;

import dev.sel4sim.servers.serial.ClientSpec;
import dev.sel4sim.servers.serial.SerialHub;
import dev.sel4sim.system.config.ConnectionSpec;
import dev.sel4sim.system.config.SystemSpec;
import dev.sel4sim.system.config.VmSpec;
import dev.sel4sim.system.console.UartLink;
import dev.sel4sim.virtio.console.VirtioConsole;
import dev.sel4sim.vmm.actor.ConsoleDriver;
import dev.sel4sim.vmm.run.VmDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.stream.Materializer;

/**
 * The consoles of a system whose VMs are on a serial server ({@code console} connections): every
 * connected UART and virtio console becomes a client of one {@link SerialHub}, named as the file
 * names it ({@code vm0}, {@code vm1.hvc}); UARTs left unconnected print through the hub as
 * output-only clients, so the terminal stays one ordered screen.
 */
public final class ConsoleWiring {
    private final SystemSpec spec;
    private final List<String> clients = new ArrayList<>();
    private final Map<String, UartLink> uarts = new LinkedHashMap<>();

    public ConsoleWiring(SystemSpec spec) {
        this.spec = spec;
        for (ConnectionSpec c : spec.connections()) {
            if (c instanceof ConnectionSpec.Console con) {
                clients.addAll(con.from());
            }
        }
        for (VmSpec vm : spec.vms()) {
            uarts.put(vm.name(), new UartLink());
        }
    }

    /** Whether the system puts VM consoles on a serial server. */
    public static boolean used(SystemSpec spec) {
        return spec.connections().stream().anyMatch(c -> c instanceof ConnectionSpec.Console);
    }

    /** The hub's input clients, in the file's order (escape + digit selects by this order). */
    public List<ClientSpec> clientSpecs() {
        return clients.stream().map(ClientSpec::of).toList();
    }

    /** The console driver of a VM's UART (to give to the VM when it is built). */
    public ConsoleDriver uart(String vm) {
        return uarts.get(vm);
    }

    /** Connects every console to the hub, once the VMs exist. */
    public void attach(SerialHub hub, Function<String, List<VmDevice>> vmDevices, Materializer mat) {
        for (VmSpec vm : spec.vms()) {
            UartLink link = uarts.get(vm.name());
            if (clients.contains(vm.name())) {
                link.flow().join(hub.client(vm.name())).run(mat);
            } else {
                link.flow().to(hub.outputOnly(vm.name())).runWith(org.apache.pekko.stream.javadsl.Source.never(), mat);
            }
        }
        for (String c : clients) {
            String[] p = c.split("\\.", 2);
            if (p.length == 2) {
                VirtioConsole console = vmDevices.apply(p[0]).stream().filter(a -> a.name().equals(p[1])).findFirst()
                        .flatMap(VmDevice::console).orElseThrow(() -> new IllegalArgumentException("no virtio console " + c));
                console.flow().join(hub.client(c)).run(mat);
            }
        }
    }
}
