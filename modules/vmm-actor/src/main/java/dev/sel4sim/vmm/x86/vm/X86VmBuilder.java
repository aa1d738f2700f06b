package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.boot.BootImageException;
import dev.sel4sim.vmm.boot.ImageSource;
import dev.sel4sim.vmm.x86.boot.LinuxSetupHeader;
import dev.sel4sim.vmm.x86.boot.Multiboot2Header;
import dev.sel4sim.vmm.x86.boot.MultibootHeader;
import dev.sel4sim.vmm.x86.boot.MultibootModule;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86Library;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Builds an x86 VM from its spec: the machine, the guest loaded by the protocol its image speaks (a
 * Linux bzImage by its "HdrS" setup header, otherwise a Multiboot 2 kernel by its header in the first
 * 32 KiB, otherwise a Multiboot 1 kernel by its header in the first 8 KiB), the VCPU at the entry.
 */
public final class X86VmBuilder {
    private X86VmBuilder() {
    }

    /** What boot protocol an image speaks. */
    public enum ImageKind {
        LINUX_BZIMAGE("Linux bzImage"), MULTIBOOT("Multiboot 1"), MULTIBOOT2("Multiboot 2");

        private final String protocol;

        ImageKind(String protocol) {
            this.protocol = protocol;
        }

        /** The protocol's name, as failure messages give it. */
        public String protocol() {
            return protocol;
        }
    }

    /**
     * Builds and boots the VM; on a bad image the machine is released and the exception says what the file is.
     *
     * @param serialOut where COM1's output goes, byte by byte, on the VM's thread
     */
    public static X86Vm build(X86VmSpec spec, UnicornX86Library lib, IntConsumer serialOut) throws BootImageException {
        return build(spec, lib, serialOut, name -> null);
    }

    /**
     * As {@link #build(X86VmSpec, UnicornX86Library, IntConsumer)}, the cross-VM connectors' dataports shared
     * with their components.
     *
     * @param dataports a connector's shared memory by name, or null for one nothing is connected to
     */
    public static X86Vm build(X86VmSpec spec, UnicornX86Library lib, IntConsumer serialOut,
                              java.util.function.Function<String, java.lang.foreign.MemorySegment> dataports) throws BootImageException {
        byte[] kernel = read(spec.kernel(), "kernel");
        ImageKind kind = kindOf(kernel, spec.kernel().describe());
        byte[] initrd = kind == ImageKind.LINUX_BZIMAGE && spec.initrd().isPresent() ? read(spec.initrd().get(), "initrd") : null;
        List<MultibootModule> modules = new ArrayList<>();
        if (kind != ImageKind.LINUX_BZIMAGE) {
            for (ImageSource m : spec.modules()) {
                modules.add(new MultibootModule(read(m, "module"), m.describe()));
            }
        }
        X86Machine machine = new X86Machine(lib, spec.machine(), serialOut, dataports);
        try {
            switch (kind) {
                case LINUX_BZIMAGE -> machine.bootLinux(kernel, initrd, spec.cmdline());
                case MULTIBOOT -> machine.bootMultiboot(kernel, spec.cmdline(), modules);
                case MULTIBOOT2 -> machine.bootMultiboot2(kernel, spec.cmdline(), modules);
            }
        } catch (BootImageException e) {
            machine.close();
            throw new BootImageException("cannot boot " + spec.kernel().describe() + " as a " + kind.protocol() + " kernel: "
                    + e.getMessage());
        } catch (RuntimeException e) {
            machine.close();
            throw e;
        }
        return new X86Vm(spec, machine);
    }

    /**
     * The protocol of a kernel image, from its first bytes. A kernel with both Multiboot headers is
     * booted by Multiboot 2, as GRUB's multiboot2 command would; by Multiboot 1 if its Multiboot 2
     * header asks for what this loader cannot give.
     */
    public static ImageKind kindOf(byte[] image, String what) throws BootImageException {
        if (image.length > LinuxSetupHeader.HEADER + 4 && image[LinuxSetupHeader.HEADER] == 'H'
                && image[LinuxSetupHeader.HEADER + 1] == 'd' && image[LinuxSetupHeader.HEADER + 2] == 'r'
                && image[LinuxSetupHeader.HEADER + 3] == 'S') {
            return ImageKind.LINUX_BZIMAGE;
        }
        BootImageException mb2;
        try {
            Multiboot2Header.find(image);
            return ImageKind.MULTIBOOT2;
        } catch (BootImageException e) {
            mb2 = e;
        }
        try {
            MultibootHeader.find(image);
            return ImageKind.MULTIBOOT;
        } catch (BootImageException mb1) {
            throw new BootImageException(what + " is neither a Linux bzImage (no \"HdrS\" at 0x202) nor a Multiboot kernel ("
                    + mb2.getMessage() + "; " + mb1.getMessage() + "): give an x86 kernel, e.g. kernel = \"guest:x86/bzImage\"");
        }
    }

    private static byte[] read(ImageSource source, String role) throws BootImageException {
        try {
            return source.readAll();
        } catch (IOException e) {
            throw new BootImageException("cannot read the " + role + " image " + source.describe() + ": " + e.getMessage());
        }
    }
}
