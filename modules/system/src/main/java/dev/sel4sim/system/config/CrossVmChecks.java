package dev.sel4sim.system.config;

import java.util.List;
import java.util.TreeSet;

/**
 * Cross-checks of cross-VM connections: each names a connector some VM has and a component that exists, each
 * connector is connected once, and a {@code string-reverse} component's settings name its own connections.
 */
final class CrossVmChecks {
    private CrossVmChecks() {
    }

    static void connection(SystemSpec s, ConnectionSpec.CrossVm x, List<ConfigError> errors) {
        String f = s.file();
        var vm = s.vms().stream().filter(v -> v.name().equals(x.vm())).findFirst();
        if (vm.isEmpty()) {
            errors.add(new ConfigError(f, x.line(), "cross-vm connection '" + x.name() + "' names unknown VM '" + x.vm() + "'",
                    "one of " + new TreeSet<>(s.vms().stream().map(VmSpec::name).toList())));
        } else if (vm.get().crossVm(x.connector()).isEmpty()) {
            errors.add(new ConfigError(f, x.line(), "cross-vm connection '" + x.name() + "': vm '" + x.vm() + "' has no cross-vm connector '"
                    + x.connector() + "'", vm.get().crossVm().isEmpty()
                    ? "a connector in the VM's list: cross-vm = [ { name = " + x.connector() + ", dataport = 4K, address = 0xdf000000 } ]"
                    : "one of " + new TreeSet<>(vm.get().crossVm().stream().map(CrossVmConnectorSpec::name).toList())));
        }
        if (s.component(x.to()).isEmpty()) {
            errors.add(new ConfigError(f, x.line(), "cross-vm 'to' names unknown component '" + x.to() + "'",
                    "one of " + new TreeSet<>(s.components().stream().map(ComponentSpec::name).toList())));
        }
        for (ConnectionSpec c : s.connections()) {
            if (c == x) {
                break;
            }
            if (c instanceof ConnectionSpec.CrossVm y && y.vm().equals(x.vm()) && y.connector().equals(x.connector())) {
                errors.add(new ConfigError(f, x.line(), "cross-vm connector " + x.vm() + "." + x.connector()
                        + " is connected twice (first at line " + y.line() + ")", "one connection per connector"));
            }
        }
    }

    /** A string-reverse component's src, dest, ready and done name cross-vm connections to it. */
    static void components(SystemSpec s, List<ConfigError> errors) {
        for (ComponentSpec c : s.components()) {
            if (!c.kind().equals("string-reverse")) {
                continue;
            }
            List<String> mine = s.connections().stream().filter(x -> x instanceof ConnectionSpec.CrossVm y && y.to().equals(c.name()))
                    .map(ConnectionSpec::name).toList();
            java.util.Map<String, String> named;
            try {
                named = dev.sel4sim.servers.StringReverse.Settings.of(c.settings()).connections();
            } catch (com.typesafe.config.ConfigException e) {
                errors.add(new ConfigError(s.file(), c.line(), "component '" + c.name() + "' (string-reverse): " + e.getMessage(),
                        "settings { src = CONNECTION, dest = CONNECTION, ready = CONNECTION, done = CONNECTION, work = 10us }"));
                continue;
            }
            for (String key : new TreeSet<>(named.keySet())) {
                String wanted = named.get(key);
                if (!mine.contains(wanted)) {
                    errors.add(new ConfigError(s.file(), c.line(), "component '" + c.name() + "' (string-reverse): settings." + key
                            + " = " + wanted + " is not a cross-vm connection to it",
                            mine.isEmpty() ? "a connection { type = cross-vm, name = " + wanted + ", from = VM.CONNECTOR, to = " + c.name() + " }"
                                    : "one of " + new TreeSet<>(mine)));
                }
            }
        }
    }
}
