#!/usr/bin/env bash
# bench/guest.sh: guest execution speed and MMIO exit cost, each against its anchor in the same
# run (dev.sel4sim.bench.GuestExecBench): a compute loop on bare Unicorn without hooks, with the
# shim's hooks, and inside a VM under its VMM actor; MMIO stores to a no-op callback on bare
# Unicorn and to the VM's PL011.  About a minute.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
scripts/setup.sh >/dev/null
eval "$(scripts/setup.sh --print-env)"
if [[ "${BENCH_NO_BUILD:-0}" != 1 ]]; then
    mvn -B -q -pl bench -am -DskipTests package
fi
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(date -u '+%Y-%m-%d %H:%M UTC')"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -cp "$ROOT/bench/target/benchmarks.jar" dev.sel4sim.bench.GuestExecBench
