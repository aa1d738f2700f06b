# shellcheck shell=bash
# bench/lib/boot-measure.sh: the measuring part of the boot benchmarks (bench/boot.sh,
# bench/boot-x86.sh), sourced by them.  Each boot is timed as the wall time from starting the
# process until its console shows the initramfs marker (SEL4SIM-INIT-OK, printed by /init just
# before the shell starts); the prompt follows it within a few tens of milliseconds on every guest.

# The marker as a console line: on its own (QEMU) or after sel4sim's "[vm0] " prefix. Anchored so
# that sel4sim's own messages, which quote what --expect waits for, do not count as the marker.
BOOT_MARKER='^(\[[^]]*\] )?SEL4SIM-INIT-OK'

# measure [--limit SECONDS] [--log FILE] [--linger SECONDS] [--] COMMAND...
# Runs COMMAND and prints the milliseconds until its console shows the marker, "timeout" when the
# limit (default 120 s) passed first, or "failed" when it ended without showing it; then stops it.
# --log keeps everything COMMAND prints in FILE, and --linger lets it run that long after the
# marker to finish by itself: sel4sim with --expect ends on its own and prints its VM's counters
# last, which a stop right at the marker would lose.
measure() {
    local limit=120 log='' linger=0 fifo start end pid tpid='' fd rc
    while (($#)); do
        case $1 in
            --limit) limit=$2; shift 2 ;;
            --log) log=$2; shift 2 ;;
            --linger) linger=$2; shift 2 ;;
            --) shift; break ;;
            *) break ;;
        esac
    done
    fifo=$(mktemp -u)
    mkfifo "$fifo"
    if [[ -n $log ]]; then
        # tee -p goes on filling the log once the reader has stopped at the marker.
        exec {fd}> >(exec tee -p "$log" >"$fifo")
        tpid=$!
        start=$(date +%s%N)
        "$@" >&"$fd" 2>&1 </dev/null &
        pid=$!
        exec {fd}>&-
    else
        start=$(date +%s%N)
        "$@" >"$fifo" 2>&1 </dev/null &
        pid=$!
    fi
    rc=0
    timeout "$limit" grep -m1 -a -q -E "$BOOT_MARKER" <"$fifo" || rc=$?
    if ((rc == 0)); then
        end=$(date +%s%N)
        echo $(( (end - start) / 1000000 ))
        local t=0
        while ((t < linger * 10)) && kill -0 "$pid" 2>/dev/null; do
            sleep 0.1
            t=$((t + 1))
        done
    elif ((rc == 124)); then
        echo timeout
    else
        echo failed
    fi
    # Children first: once their parent is gone they are no longer found by it.
    pkill -P "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [[ -n $tpid ]]; then
        # tee ends when the last writer has gone; a stray grandchild could hold the pipe open.
        local t=0
        while ((t < 50)) && kill -0 "$tpid" 2>/dev/null; do
            sleep 0.1
            t=$((t + 1))
        done
        kill "$tpid" 2>/dev/null || true
        wait "$tpid" 2>/dev/null || true
    fi
    rm -f "$fifo"
}

# The median of the numbers on stdin, one a line ("-" when there are none); "timeout" and "failed"
# are not measurements and are left out.
median() {
    { grep -E '^[0-9]+$' || true; } | sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print a[int((NR+1)/2)]}'
}

# ratio A B: A/B as "N.NNx", or "-" when either is missing.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.2fx", a / b; else print "-" }'
}

# need_qemu BINARY PACKAGE: makes sure QEMU (the benchmark's anchor) is there, installing Debian's
# PACKAGE with apt-get when running as root; otherwise says what to install and exits.
need_qemu() {
    command -v "$1" >/dev/null 2>&1 && return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "bench: installing Debian's $2 (the anchor of this benchmark)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null ||
            { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null; }
    else
        echo "bench: $1 is missing: apt-get install $2" >&2
        exit 1
    fi
}
