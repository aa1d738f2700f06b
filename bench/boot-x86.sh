#!/usr/bin/env bash
# bench/boot-x86.sh: boot to a shell on x86, sel4sim against QEMU (TCG), same bzImage and
# initramfs, same run.
#
# Each round starts qemu-system-i386 and then `./sel4sim run conf/systems/x86_minimal.conf` (the
# user's path: kernel and initramfs from the FileServer, console on the SerialServer) and measures
# the wall time from starting the process until the console shows SEL4SIM-INIT-OK (printed by
# /init just before the shell; bench/lib/boot-measure.sh). Both get 256 MiB, one CPU and the
# system file's kernel command line. Two variants: the full boot, and the same boot with
# cryptomgr.notests appended on both sides (the kernel's crypto self-tests are about half of the
# instructions to the shell). It prints every measurement, sel4sim's guest instruction count, the
# medians and the sel4sim/QEMU ratios. A round that does not reach the marker is counted as failed,
# its console tail shown and its log kept.
#
# QEMU's CPU is set to what sel4sim's CPUID offers (dev.sel4sim.vmm.x86.cpu.CpuidPolicy: a Pentium
# III, family 6 model 8, max basic leaf 1, EDX = FPU PSE MSR CX8 PGE CMOV MMX FXSR SSE SSE2, no
# extended leaves), so that both kernels pick the same code paths (alternatives, memcpy, FPU
# save, clock sources).
#
# Usage:  bench/boot-x86.sh [ROUNDS]      (default 3)
#         BENCH_X86_LIMIT=SECONDS          time allowed to one boot (default 300)
# Needs:  qemu-system-i386 (Debian's qemu-system-x86; installed with apt-get when missing and
#         running as root), the x86 guest images (scripts/fetch-guests-x86.sh runs when needed).
# By hand, the cryptomgr.notests variant is x86_minimal.conf with that word added to its bootargs.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
ROUNDS=${1:-3}
LIMIT=${BENCH_X86_LIMIT:-300}

scripts/setup.sh >/dev/null 2>&1 || scripts/setup.sh
GUESTS=$(scripts/fetch-guests-x86.sh)
# shellcheck source=bench/lib/boot-measure.sh
. "$ROOT/bench/lib/boot-measure.sh"
need_qemu qemu-system-i386 qemu-system-x86
# Build sel4sim once, outside the measurements.
./sel4sim list >/dev/null

CONF=conf/systems/x86_minimal.conf
BOOTARGS=$(sed -n 's/^ *bootargs = "\(.*\)"$/\1/p' "$CONF")
if [[ -z $BOOTARGS || $(grep -c '^ *bootargs = ' "$CONF") -ne 1 ]]; then
    echo "bench: expected one bootargs line in $CONF" >&2
    exit 1
fi
NOTESTS_CONF=$(mktemp --suffix=.conf)
LOGS=$(mktemp -d /tmp/bench-x86.XXXXXX)
trap 'rm -f "$NOTESTS_CONF"' EXIT
sed 's/^\( *bootargs = ".*\)"$/\1 cryptomgr.notests"/' "$CONF" >"$NOTESTS_CONF"

# Pentium III (family 6 model 8) without what CpuidPolicy leaves out, with its SSE2.
QEMU_CPU=pentium3,model=8,level=1,-vme,-de,-tsc,-mce,-apic,-pae,-sep,-mtrr,-mca,-pat,-pse36,+sse2,-hypervisor
POLICY=modules/vmm-actor/src/main/java/dev/sel4sim/vmm/x86/cpu/CpuidPolicy.java
if ! grep -q 'FEATURES_EDX = FPU | PSE | MSR | CX8 | PGE | CMOV | MMX | FXSR | SSE | SSE2;' "$POLICY" ||
    ! grep -q 'MAX_BASIC_LEAF = 1;' "$POLICY" || ! grep -q 'SIGNATURE = 0x0683;' "$POLICY"; then
    echo "bench: warning: $POLICY changed; QEMU's -cpu $QEMU_CPU may no longer match it" >&2
fi

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/^Mem:/ {print $2}') GiB"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "qemu: $(qemu-system-i386 --version | head -1), -cpu $QEMU_CPU"
echo "kernel: $(awk '$1 == "bzImage" {print $2, $3}' "$GUESTS/MANIFEST"); cmdline: $BOOTARGS"
echo "logs: $LOGS"

# Prints the log's last console lines after a round that did not reach the marker.
tail_of() { echo "--- $1: last lines ---"; tail -n 15 "$1" | sed 's/^/    /'; echo "---"; }

failed=0
for variant in full notests; do
    if [[ $variant == full ]]; then conf=$CONF; args=$BOOTARGS; else conf=$NOTESTS_CONF; args="$BOOTARGS cryptomgr.notests"; fi
    : >"$LOGS/q-$variant"; : >"$LOGS/s-$variant"; : >"$LOGS/i-$variant"
    for r in $(seq 1 "$ROUNDS"); do
        ql=$LOGS/qemu-$variant-$r.log; sl=$LOGS/sel4sim-$variant-$r.log
        q=$(measure --limit "$LIMIT" --log "$ql" qemu-system-i386 -M pc -cpu "$QEMU_CPU" -smp 1 -m 256 \
            -nographic -no-reboot -nic none -kernel "$GUESTS/bzImage" -initrd "$GUESTS/initramfs.cpio.gz" -append "$args")
        s=$(measure --limit "$LIMIT" --log "$sl" --linger 30 \
            ./sel4sim run "$conf" --timeout $((LIMIT + 30)) --expect SEL4SIM-INIT-OK)
        n=$(sed -n 's/.*x86 VCPU: \([0-9]*\) instructions.*/\1/p' "$sl" | tail -1)
        echo "$variant round $r: ms to the marker: qemu $q, sel4sim $s; sel4sim instructions ${n:--}"
        [[ $q =~ ^[0-9]+$ ]] || tail_of "$ql"
        if [[ ! $s =~ ^[0-9]+$ ]]; then
            failed=$((failed + 1))
            tail_of "$sl"
        fi
        echo "$q" >>"$LOGS/q-$variant"; echo "$s" >>"$LOGS/s-$variant"
        [[ $s =~ ^[0-9]+$ && -n $n ]] && echo "$n" >>"$LOGS/i-$variant"
    done
    qm=$(median <"$LOGS/q-$variant"); sm=$(median <"$LOGS/s-$variant"); im=$(median <"$LOGS/i-$variant")
    echo "$variant median: qemu ${qm} ms, sel4sim ${sm} ms; sel4sim/qemu $(ratio "$sm" "$qm"); sel4sim instructions ${im}"
done
echo "sel4sim rounds that did not reach the marker: $failed of $((2 * ROUNDS))"
