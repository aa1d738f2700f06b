#!/usr/bin/env bash
# bench/boot.sh: boot to a shell, sel4sim against QEMU (TCG), same kernel and initramfs, same run.
#
# For each VCPU count (1 and 2) and each round, it starts QEMU and then sel4sim and measures the
# wall time from starting the process until the console shows the initramfs marker
# (SEL4SIM-INIT-OK, printed by /init just before the shell starts; bench/lib/boot-measure.sh).
# sel4sim's time includes the JVM start, as QEMU's includes its own. It prints every measurement,
# the medians and the sel4sim/QEMU ratio.
#
# Usage:  bench/boot.sh [ROUNDS]      (default 3)
# Needs:  qemu-system-aarch64 (Debian's qemu-system-arm; installed with apt-get when missing and
#         running as root), the guest images (scripts/fetch-guests.sh runs when needed).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
ROUNDS=${1:-3}

scripts/setup.sh >/dev/null 2>&1 || scripts/setup.sh
GUESTS=$(scripts/fetch-guests.sh)
NIC=(-nic none)
# shellcheck source=bench/lib/boot-measure.sh
. "$ROOT/bench/lib/boot-measure.sh"
need_qemu qemu-system-aarch64 qemu-system-arm
# Build sel4sim once, outside the measurements.
./sel4sim list >/dev/null

conf_for() { # vcpus -> a temporary copy of vm_minimal with that many VCPUs
    local f
    f=$(mktemp --suffix=.conf)
    sed "s/vcpus = 2/vcpus = $1/" conf/systems/vm_minimal.conf >"$f"
    echo "$f"
}

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "qemu: $(qemu-system-aarch64 --version | head -1)"
echo "kernel: $(awk '$1 == "Image" {print $2, $3}' "$GUESTS/MANIFEST")"
for smp in 1 2; do
    conf=$(conf_for "$smp")
    : >"/tmp/bench-q-$smp"; : >"/tmp/bench-s-$smp"
    for r in $(seq 1 "$ROUNDS"); do
        q=$(measure qemu-system-aarch64 -M virt -cpu cortex-a53 -smp "$smp" -m 512 -nographic "${NIC[@]}" \
            -kernel "$GUESTS/Image" -initrd "$GUESTS/initramfs.cpio.gz" \
            -append "console=ttyAMA0 earlycon=pl011,mmio32,0x9000000 rdinit=/init" -no-reboot)
        s=$(measure ./sel4sim run "$conf" --timeout 120 --expect SEL4SIM-INIT-OK)
        echo "smp $smp round $r: ms to the marker: qemu $q, sel4sim $s"
        echo "$q" >>"/tmp/bench-q-$smp"; echo "$s" >>"/tmp/bench-s-$smp"
    done
    qm=$(median <"/tmp/bench-q-$smp"); sm=$(median <"/tmp/bench-s-$smp")
    echo "smp $smp median: qemu ${qm} ms, sel4sim ${sm} ms; sel4sim/qemu $(ratio "$sm" "$qm")"
    rm -f "$conf"
done
