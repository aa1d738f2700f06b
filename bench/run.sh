#!/usr/bin/env bash
# bench/run.sh: builds the JMH benchmarks jar and runs it, then prints each benchmark's round
# trips per second and the kernel-model / raw-Pekko ratio per core layout, both computed from the
# JSON result of this same run.
#
# Usage:  bench/run.sh [JMH arguments...]
#   With no arguments every benchmark runs with its annotated settings (IpcRoundTripBench:
#   3 warm-up x 2 s, 5 measurement x 2 s, 1 fork, 3 forks for the two-thread variants;
#   about 3 minutes for its 5 benchmarks).
#   Arguments go to JMH as they are, e.g.
#     bench/run.sh -wi 1 -i 2 -w 1s -r 1s            a quick run
#     bench/run.sh 'kernel.*' -prof stack            only the kernel-model variants, profiled
#     bench/run.sh -h                                JMH's own help
# Environment:
#   BENCH_RESULT    where JMH writes its JSON result (default bench/target/jmh-result.json)
#   BENCH_NO_BUILD  set to 1 to reuse bench/target/benchmarks.jar without building
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"

# The project's set-up gives a JDK >= 25 (and Maven); it is silent when all is in place.
if [[ -x scripts/setup.sh ]]; then
    scripts/setup.sh || echo "bench: warning: scripts/setup.sh failed; trying JAVA_HOME=${JAVA_HOME:-<unset>}" >&2
fi
ENV_FILE="${SEL4SIM_CACHE:-$ROOT/.cache}/env.sh"
if [[ -f "$ENV_FILE" ]]; then
    # shellcheck disable=SC1090
    source "$ENV_FILE"
fi
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]]; then
    echo "bench: no JDK: set JAVA_HOME to a JDK >= 25 or run scripts/setup.sh" >&2
    exit 1
fi
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
JAR="$ROOT/bench/target/benchmarks.jar"
RESULT=${BENCH_RESULT:-$ROOT/bench/target/jmh-result.json}

if [[ "${BENCH_NO_BUILD:-0}" != 1 ]]; then
    echo "bench: building $JAR" >&2
    mvn -B -q -pl bench -am -DskipTests package
fi
[[ -f "$JAR" ]] || { echo "bench: $JAR is missing (build it, or unset BENCH_NO_BUILD)" >&2; exit 1; }

mkdir -p "$(dirname "$RESULT")"
rm -f "$RESULT"
"$JAVA" -jar "$JAR" "$@" -rf json -rff "$RESULT"

# `-h`, `-l` and the like run nothing and write no result.
[[ -s "$RESULT" ]] || exit 0

echo
echo "## machine"
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- host: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "- JDK: $("$JAVA" -version 2>&1 | head -n 2 | tail -n 1)"
echo "- JMH arguments: ${*:-(annotated defaults)}"
echo
echo "## results (same run: $RESULT)"
"$JAVA" -cp "$JAR" dev.sel4sim.bench.BenchReport "$RESULT"
