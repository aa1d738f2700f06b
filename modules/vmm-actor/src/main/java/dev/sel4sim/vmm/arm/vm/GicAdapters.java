package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.arm.SysRegResult;
import dev.sel4sim.vmm.arm.gic.GicV2;
import dev.sel4sim.vmm.arm.gic.GicV3;
import dev.sel4sim.vmm.arm.gic.VirtualGic;
import dev.sel4sim.vmm.cpu.MmioHandler;

import java.util.List;

/** The two GIC models behind the VCPU loop's {@link VmGic} view, mapped at a layout's addresses. */
final class GicAdapters {
    private GicAdapters() {
    }

    /** A register window whose accesses do not depend on which VCPU makes them. */
    private interface Read {
        long read(long offset, int size);
    }

    private interface Write {
        void write(long offset, int size, long value);
    }

    private static MmioHandler window(Read read, Write write) {
        return new MmioHandler() {
            @Override
            public long read(int vcpu, long offset, int size) {
                return read.read(offset, size);
            }

            @Override
            public void write(int vcpu, long offset, int size, long value) {
                write.write(offset, size, value);
            }
        };
    }

    static VmGic v2(GicV2 gic, ArmVmLayout layout) {
        MmioHandler distributor = new MmioHandler() {
            @Override
            public long read(int vcpu, long offset, int size) {
                return gic.readDistributor(vcpu, offset, size);
            }

            @Override
            public void write(int vcpu, long offset, int size, long value) {
                gic.writeDistributor(vcpu, offset, size, value);
            }
        };
        MmioHandler cpuInterface = new MmioHandler() {
            @Override
            public long read(int vcpu, long offset, int size) {
                return gic.readCpuInterface(vcpu, offset, size);
            }

            @Override
            public void write(int vcpu, long offset, int size, long value) {
                gic.writeCpuInterface(vcpu, offset, size, value);
            }
        };
        return new Adapter(gic, List.of(
                new VmGic.Region("gic-distributor", layout.gicDistributor(), 0x1_0000, distributor),
                new VmGic.Region("gic-cpu-interface", layout.gicCpuInterface(), 0x1_0000, cpuInterface)));
    }

    static VmGic v3(GicV3 gic, ArmVmLayout layout) {
        return new Adapter(gic, List.of(
                new VmGic.Region("gic-distributor", layout.gicDistributor(), 0x1_0000,
                        window(gic::readDistributor, gic::writeDistributor)),
                new VmGic.Region("gic-redistributors", layout.gicRedistributors(), gic.redistributorRegionSize(),
                        window(gic::readRedistributorRegion, gic::writeRedistributorRegion)))) {
            @Override
            public boolean systemRegister(int vcpu, boolean read, SysRegAccess access) {
                SysRegResult result = read ? gic.readSysReg(vcpu, access.reg()) : gic.writeSysReg(vcpu, access.reg(), access.value());
                return switch (result) {
                    case SysRegResult.Value v -> {
                        access.result(v.value());
                        yield true;
                    }
                    case SysRegResult.Written w -> true;
                    case SysRegResult.Unknown u -> false;
                    case SysRegResult.Refused f -> false;
                };
            }
        };
    }

    /** Lines and pending state are the same for both versions; only v3 has a system-register interface. */
    private static class Adapter implements VmGic {
        private final VirtualGic gic;
        private final List<Region> regions;

        Adapter(VirtualGic gic, List<Region> regions) {
            this.gic = gic;
            this.regions = regions;
        }

        @Override
        public List<Region> regions() {
            return regions;
        }

        @Override
        public void setSpi(int intid, boolean high) {
            gic.setLevel(intid, high);
        }

        @Override
        public void setPpi(int vcpu, int intid, boolean high) {
            gic.setPpiLevel(vcpu, intid, high);
        }

        @Override
        public boolean irqPending(int vcpu) {
            return gic.irqPending(vcpu);
        }

        @Override
        public boolean systemRegister(int vcpu, boolean read, SysRegAccess access) {
            return false;
        }
    }
}
