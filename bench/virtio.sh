#!/usr/bin/env bash
# bench/virtio.sh: virtio throughput, each figure against its anchor in the same run
# (dev.sel4sim.bench.VirtioBench): pktgen in one Linux VM sending 64 B and 1500 B frames through
# a virtual switch to another, against the switch fed by a plain Source; a guest writing to its
# virtio console, read by a fast and by a slow host reader, against the reader fed by a Source.
# Arguments go to the bench (--frames N, --console-kib K, --slow-kib K, --slow-rate-kib R,
# --anchor-frames N, --ratep FRAMES_PER_S: pktgen's own rate limit).  Under a minute with the
# defaults, after the build.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
# With env.sh already sourced (a shared cache), the set-up has been done: do not re-check it.
if [[ -z "${SEL4SIM_CACHE:-}" || -z "${JAVA_HOME:-}" || -z "${SEL4SIM_SHIM:-}" ]]; then
    scripts/setup.sh >/dev/null
    eval "$(scripts/setup.sh --print-env)"
    scripts/fetch-guests.sh >/dev/null
fi
if [[ "${BENCH_NO_BUILD:-0}" != 1 ]]; then
    mvn -B -q -pl bench -am -DskipTests package
fi
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(date -u '+%Y-%m-%d %H:%M UTC')"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -cp "$ROOT/bench/target/benchmarks.jar" dev.sel4sim.bench.VirtioBench "$@"
