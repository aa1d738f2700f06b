package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.arm.SysRegResult;
import dev.sel4sim.vmm.arm.gic.GicV2;
import dev.sel4sim.vmm.arm.gic.GicV3;
import dev.sel4sim.vmm.cpu.MmioHandler;

import java.util.List;

/** The two GIC models behind the VCPU loop's {@link VmGic} view, mapped at a layout's addresses. */
final class GicAdapters {
    private GicAdapters() {
    }

    static VmGic v2(GicV2 gic, ArmVmLayout layout) {
        List<VmGic.Region> regions = List.of(
                new VmGic.Region("gic-distributor", layout.gicDistributor(), 0x1_0000, new MmioHandler() {
                    @Override
                    public long read(int vcpu, long offset, int size) {
                        return gic.readDistributor(vcpu, offset, size);
                    }

                    @Override
                    public void write(int vcpu, long offset, int size, long value) {
                        gic.writeDistributor(vcpu, offset, size, value);
                    }
                }),
                new VmGic.Region("gic-cpu-interface", layout.gicCpuInterface(), 0x1_0000, new MmioHandler() {
                    @Override
                    public long read(int vcpu, long offset, int size) {
                        return gic.readCpuInterface(vcpu, offset, size);
                    }

                    @Override
                    public void write(int vcpu, long offset, int size, long value) {
                        gic.writeCpuInterface(vcpu, offset, size, value);
                    }
                }));
        return new Common(regions) {
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
        };
    }

    static VmGic v3(GicV3 gic, ArmVmLayout layout) {
        List<VmGic.Region> regions = List.of(
                new VmGic.Region("gic-distributor", layout.gicDistributor(), 0x1_0000, new MmioHandler() {
                    @Override
                    public long read(int vcpu, long offset, int size) {
                        return gic.readDistributor(offset, size);
                    }

                    @Override
                    public void write(int vcpu, long offset, int size, long value) {
                        gic.writeDistributor(offset, size, value);
                    }
                }),
                new VmGic.Region("gic-redistributors", layout.gicRedistributors(), gic.redistributorRegionSize(), new MmioHandler() {
                    @Override
                    public long read(int vcpu, long offset, int size) {
                        return gic.readRedistributorRegion(offset, size);
                    }

                    @Override
                    public void write(int vcpu, long offset, int size, long value) {
                        gic.writeRedistributorRegion(offset, size, value);
                    }
                }));
        return new Common(regions) {
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
                dev.sel4sim.vmm.cpu.SysReg reg = access.reg();
                SysRegResult result = read ? gic.readSysReg(vcpu, reg) : gic.writeSysReg(vcpu, reg, access.value());
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

    private abstract static class Common implements VmGic {
        private final List<Region> regions;

        Common(List<Region> regions) {
            this.regions = regions;
        }

        @Override
        public List<Region> regions() {
            return regions;
        }
    }
}
