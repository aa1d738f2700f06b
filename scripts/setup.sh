#!/usr/bin/env bash
# scripts/setup.sh: the set-up step of sel4sim.  `./sel4sim run ...` and the
# test command call it first, every time.  It is idempotent: when everything
# is already in place it checks a stamp and a few files and is silent (a few
# milliseconds, no network).
#
# Usage:  scripts/setup.sh [--print-env] [--force] [--guests] [--help]
#   --print-env  also print the contents of env.sh on stdout
#   --force      ignore the stamp and check everything again (the network is
#                still used only if the Unicorn library has to be fetched)
#   --guests     then also run scripts/fetch-guests.sh: the AArch64 guest
#                images (Linux, U-Boot, an initramfs) in guests/arm64/; its
#                output goes to stderr, so stdout is still only env.sh
# Progress and errors go to stderr; stdout stays empty unless --print-env.
#
# What it makes sure of:
#   1. a JDK >= 25: $JAVA_HOME if it is one, else the highest one in
#      /usr/lib/jvm (Debian's JVM directory);
#   2. Apache Maven (`mvn`): installed with apt-get only when missing, running
#      as root and apt-get exists;
#   3. Unicorn >= 2.1 (2.1.4 wanted), the native libunicorn.so.2: a system
#      copy if it is recent enough, else Debian's `libunicorn2t64` package
#      from Debian sid, fetched with a private apt configuration into the
#      cache and unpacked with `dpkg -x`.  The system is never changed.
#      The version is read from the library itself: scripts/unicorn-check.c
#      (built here with gcc) dlopen()s it with RTLD_NOW, so every dependency
#      and versioned glibc symbol must resolve on this machine, calls
#      uc_version(), and opens an AArch64 and an x86 engine.  This works for
#      any copy (Debian package, /usr/local build, ...), needs no headers and
#      proves the library loads, which a package version alone would not.
#
# Cache: ${SEL4SIM_CACHE:-<repo root>/.cache}  (.cache/ is git-ignored)
#   env.sh           written here; other scripts `source` it:
#                      export JAVA_HOME=...                   the JDK >= 25
#                      export SEL4SIM_UNICORN=.../native/libunicorn.so.2
#                      export SEL4SIM_UNICORN_VERSION=2.1.4   from uc_version()
#                      export SEL4SIM_CACHE=...               absolute
#   .setup-stamp     what the last full check found, plus a fingerprint of
#                    its inputs (this script, unicorn-check.c, JAVA_HOME, ...)
#   .setup.lock      flock(1) lock: concurrent runs do the work once
#   debs/            downloaded .deb files (libunicorn2t64_<version>_amd64.deb)
#   apt/             private apt configuration and state, never /etc/apt or
#                    /var/lib/apt:  apt.conf (use it with `apt-get -c`),
#                    sources.list (Debian sid), state/, cache/.  The package
#                    lists are deleted after a fetch (20+ MB, and stale soon).
#   native/          native code loaded by the JVM:
#                      libunicorn.so.2 -> the library in use (a symbolic link
#                        to the unpacked package, or to the system copy)
#                      libunicorn2t64_<version>/  the unpacked package
#                        (dpkg -x; holds the copyright file too)
#                      unicorn-check  the version checker built from
#                        scripts/unicorn-check.c
#                      (later: our C shim for the hot Unicorn hooks)
#   guests/          guest images (kernels, U-Boot, initramfs), filled by
#                    scripts/fetch-guests.sh (setup.sh --guests): guests/arm64/
#   apt-arm64/       that script's private apt configuration (arm64, bookworm)
#
# Environment (all optional):
#   SEL4SIM_CACHE           the cache directory (default <repo root>/.cache)
#   JAVA_HOME               a JDK to prefer; ignored (with a note) if < 25
#   SEL4SIM_JVM_DIR         where to look for JDKs (default /usr/lib/jvm)
#   SEL4SIM_UNICORN         use this libunicorn.so.2 (must be >= 2.1)
#   SEL4SIM_DEBIAN_MIRROR   Debian mirror URI (default: the one the machine's
#                           apt sources use, else http://deb.debian.org/debian)
#   SEL4SIM_DEBIAN_SUITE    suite to fetch Unicorn from (default sid)
#   SEL4SIM_DEBIAN_KEYRING  keyring for that suite
#                           (default /usr/share/keyrings/debian-archive-keyring.gpg)

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    echo "scripts/setup.sh is meant to be run, not sourced; run it, then source \"\${SEL4SIM_CACHE:-.cache}/env.sh\"" >&2
    return 1
fi

set -euo pipefail

readonly STAMP_FORMAT=1
readonly JAVA_MIN=25
readonly UNICORN_MIN=2.1
readonly UNICORN_WANTED=2.1.4
readonly UNICORN_DEB=libunicorn2t64

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(dirname "$SCRIPT_DIR")
SELF="$SCRIPT_DIR/setup.sh"
CHECK_SRC="$SCRIPT_DIR/unicorn-check.c"
SHIM_SRC="$SCRIPT_DIR/shim/sel4sim_shim.c"
APT_LIB="$SCRIPT_DIR/lib/private-apt.sh"
# shellcheck source=lib/private-apt.sh
. "$APT_LIB"

JVM_DIR=${SEL4SIM_JVM_DIR:-/usr/lib/jvm}
DEBIAN_SUITE=${SEL4SIM_DEBIAN_SUITE:-sid}
DEBIAN_KEYRING=${SEL4SIM_DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}

# ---------------------------------------------------------------- helpers ---

say() { printf 'setup: %s\n' "$*" >&2; }

die() {
    printf 'setup: error: %s\n' "$1" >&2
    shift
    local line
    for line in "$@"; do
        if [[ -n "$line" ]]; then printf '  %s\n' "$line" >&2; else printf '\n' >&2; fi
    done
    exit 1
}

usage() {
    sed -n '2,/^# Cache:/{/^# Cache:/d;s/^# \{0,1\}//;p}' "$SELF" >&2
}

# Quote a value for a POSIX shell (single quotes), for env.sh.
shquote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# ------------------------------------------------------------- arguments ---

PRINT_ENV=0
FORCE=0
GUESTS_TOO=0
while (($#)); do
    case "$1" in
        --print-env) PRINT_ENV=1 ;;
        --force) FORCE=1 ;;
        --guests) GUESTS_TOO=1 ;;
        -h | --help) usage; exit 0 ;;
        *) usage; die "unknown argument: $1" ;;
    esac
    shift
done

# ----------------------------------------------------------------- cache ---

CACHE=${SEL4SIM_CACHE:-$REPO_ROOT/.cache}
[[ "$CACHE" == /* ]] || CACHE="$PWD/$CACHE"
mkdir -p "$CACHE" || die "cannot create the cache directory $CACHE" \
    "set SEL4SIM_CACHE to a writable directory"
CACHE=$(cd "$CACHE" && pwd -P)

NATIVE="$CACHE/native"
DEBS="$CACHE/debs"
APTDIR="$CACHE/apt"
GUESTS="$CACHE/guests"
ENV_FILE="$CACHE/env.sh"
STAMP="$CACHE/.setup-stamp"
LOCK="$CACHE/.setup.lock"
UNICORN_LINK="$NATIVE/libunicorn.so.2"
CHECKER="$NATIVE/unicorn-check"
SHIM_LIB="$NATIVE/libsel4sim-shim.so"

# Everything whose change must trigger a full check.
fingerprint() {
    # SEL4SIM_UNICORN set to our own link comes from a sourced env.sh: no choice.
    local unicorn_in=${SEL4SIM_UNICORN:-}
    [[ "$unicorn_in" != "$UNICORN_LINK" ]] || unicorn_in=''
    printf '%s|%s|%s|%s|%s|%s\n' "$STAMP_FORMAT" "$(cksum "$SELF" "$CHECK_SRC" "$SHIM_SRC" "$APT_LIB" | tr '\n' ' ')" \
        "$JVM_DIR" "$unicorn_in" "$DEBIAN_SUITE" "$CACHE"
}

# The text of env.sh for the chosen JDK and library.
render_env() { # JAVA_HOME UNICORN_VERSION
    printf '# Written by scripts/setup.sh; re-run it instead of editing this file.\n'
    printf 'export JAVA_HOME=%s\n' "$(shquote "$1")"
    printf 'export SEL4SIM_UNICORN=%s\n' "$(shquote "$UNICORN_LINK")"
    printf 'export SEL4SIM_UNICORN_VERSION=%s\n' "$(shquote "$2")"
    printf 'export SEL4SIM_CACHE=%s\n' "$(shquote "$CACHE")"
    printf 'export SEL4SIM_SHIM=%s\n' "$(shquote "$SHIM_LIB")"
}

finish() {
    if ((GUESTS_TOO)); then
        # Its own lock and its own warm check; stdout is env.sh's alone.
        SEL4SIM_CACHE=$CACHE "$SCRIPT_DIR/fetch-guests.sh" >&2 ||
            die "scripts/fetch-guests.sh failed (see above); the rest of the set-up is done"
    fi
    if ((PRINT_ENV)); then cat "$ENV_FILE"; fi
    exit 0
}

# Fast path: the stamp says everything was checked with the same inputs, and
# the things it found are still there.  No process is started but cksum.
warm_check() {
    [[ -f "$STAMP" && -f "$ENV_FILE" ]] || return 1
    local key value
    local s_fp='' s_java_in='' s_java='' s_unicorn_version=''
    while IFS='=' read -r key value; do
        case "$key" in
            fingerprint) s_fp=$value ;;
            java_home_in) s_java_in=$value ;;
            java_home) s_java=$value ;;
            unicorn_version) s_unicorn_version=$value ;;
        esac
    done <"$STAMP"
    [[ "$s_fp" == "$(fingerprint)" ]] || return 1
    # JAVA_HOME as it was at the last check, or the JDK chosen then (set by
    # a caller that sourced env.sh).
    [[ "${JAVA_HOME:-}" == "$s_java_in" || "${JAVA_HOME:-}" == "$s_java" ]] || return 1
    [[ -x "$s_java/bin/java" && -x "$s_java/bin/javac" ]] || return 1
    command -v mvn >/dev/null 2>&1 || return 1
    [[ -f "$UNICORN_LINK" && -n "$s_unicorn_version" ]] || return 1
    [[ -f "$SHIM_LIB" && "$SHIM_LIB" -nt "$SHIM_SRC" ]] || return 1
    [[ "$(<"$ENV_FILE")" == "$(render_env "$s_java" "$s_unicorn_version")" ]] || return 1
    return 0
}

if ((!FORCE)) && warm_check; then
    finish
fi

# Slow path: one run at a time per cache.  A run that waited re-checks the
# stamp, since the other one has probably done the work.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCK"
    if ! flock -n 9; then
        say "another setup is running on $CACHE; waiting for it"
        flock 9
        if ((!FORCE)) && warm_check; then finish; fi
    fi
fi

TMP=$(mktemp -d "$CACHE/.tmp.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

mkdir -p "$NATIVE" "$DEBS" "$APTDIR" "$GUESTS"

# ------------------------------------------------------------ 1. the JDK ---

# Full version string of a java launcher ("25.0.3", "25", "1.8.0_392",
# "26-ea"), from the `version "..."` line of `java -version`.  Other lines
# ("Picked up JAVA_TOOL_OPTIONS: ...") are skipped.
java_version() {
    local out line
    out=$("$1" -version 2>&1) || return 1
    while IFS= read -r line; do
        if [[ "$line" =~ version\ \"([^\"]+)\" ]]; then
            printf '%s\n' "${BASH_REMATCH[1]}"
            return 0
        fi
    done <<<"$out"
    return 1
}

# Feature release of a version string: 25.0.3 -> 25, 25 -> 25, 26-ea -> 26,
# 1.8.0_392 -> 8.
java_major() {
    local v=$1
    [[ "$v" == 1.* ]] && v=${v#1.}
    v=${v%%[!0-9]*}
    [[ -n "$v" ]] || return 1
    printf '%s\n' "$v"
}

# Checks a JDK directory; on success prints its version.  On failure prints
# why (for the error message) and returns 1.
check_jdk() {
    local dir=$1 version major
    if [[ ! -x "$dir/bin/java" ]]; then echo "no bin/java"; return 1; fi
    if ! version=$(java_version "$dir/bin/java"); then echo "bin/java does not report a version"; return 1; fi
    if ! major=$(java_major "$version"); then echo "unreadable version \"$version\""; return 1; fi
    if ((major < JAVA_MIN)); then echo "version $version, older than $JAVA_MIN"; return 1; fi
    if [[ ! -x "$dir/bin/javac" ]]; then echo "version $version, but a JRE only (no bin/javac)"; return 1; fi
    printf '%s\n' "$version"
}

find_jdk() {
    local -a looked=()
    local result dir real best_dir='' best_version=''
    if [[ -n "${JAVA_HOME:-}" ]]; then
        if result=$(check_jdk "$JAVA_HOME"); then
            JDK_HOME=$JAVA_HOME
            JDK_VERSION=$result
            return 0
        fi
        looked+=("JAVA_HOME=$JAVA_HOME: $result")
        say "JAVA_HOME=$JAVA_HOME is not usable ($result); looking in $JVM_DIR"
    fi
    local -A seen=()
    local scanned=0
    if [[ -d "$JVM_DIR" ]]; then
        for dir in "$JVM_DIR"/*/; do
            [[ -d "$dir" ]] || continue
            dir=${dir%/}
            real=$(readlink -f "$dir")
            [[ -z "${seen[$real]:-}" ]] || continue
            seen[$real]=1
            scanned=1
            if result=$(check_jdk "$real"); then
                if [[ -z "$best_version" ]] ||
                    [[ "$(printf '%s\n%s\n' "$best_version" "$result" | sort -V | tail -n 1)" == "$result" &&
                        "$result" != "$best_version" ]]; then
                    best_dir=$real
                    best_version=$result
                fi
            else
                looked+=("$dir: $result")
            fi
        done
    else
        looked+=("$JVM_DIR: no such directory")
    fi
    if [[ -n "$best_dir" ]]; then
        JDK_HOME=$best_dir
        JDK_VERSION=$best_version
        return 0
    fi
    if [[ -d "$JVM_DIR" ]] && ((!scanned)); then looked+=("$JVM_DIR: no JDK directories in it"); fi
    die "no JDK $JAVA_MIN or newer found. Looked at:" "${looked[@]}" "" \
        "Install a JDK $JAVA_MIN, then run this again. For example:" \
        "  - Eclipse Temurin $JAVA_MIN from the Adoptium apt repository" \
        "    (https://adoptium.net/installation/linux/): apt-get install temurin-$JAVA_MIN-jdk" \
        "  - Debian's openjdk-$JAVA_MIN-jdk, on a release that has it: apt-get install openjdk-$JAVA_MIN-jdk" \
        "Either lands in $JVM_DIR and is found there; a JDK elsewhere: set JAVA_HOME to it."
}

JDK_HOME=''
JDK_VERSION=''
find_jdk
say "JDK $JDK_VERSION: $JDK_HOME"

# ---------------------------------------------------------- 2. Maven -------

if ! command -v mvn >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        say "Apache Maven (mvn) is missing; installing the Debian package 'maven' with apt-get"
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y maven >&2; then
            say "apt-get install failed; updating the package lists and trying again"
            DEBIAN_FRONTEND=noninteractive apt-get update >&2 &&
                DEBIAN_FRONTEND=noninteractive apt-get install -y maven >&2 ||
                die "could not install Maven with apt-get (see above)" \
                    "install Apache Maven 3.8 or newer yourself (apt-get install maven, or https://maven.apache.org/install.html) and put mvn on PATH"
        fi
        hash -r
        command -v mvn >/dev/null 2>&1 || die "apt-get installed maven but mvn is still not on PATH ($PATH)"
    else
        die "Apache Maven (mvn) is not on PATH ($PATH)." \
            "Install it: as root, apt-get install maven (Debian/Ubuntu)," \
            "or unpack Apache Maven 3.8+ from https://maven.apache.org/download.cgi and add its bin/ to PATH."
    fi
fi
MVN_OUT=$(JAVA_HOME=$JDK_HOME mvn -B -v 2>&1) ||
    die "\`mvn -v\` fails with JAVA_HOME=$JDK_HOME:" "$MVN_OUT"
# Maven 3.8 colours its banner even with -B: drop the escape sequences.
MVN_LINE=$(sed 's/\x1b\[[0-9;]*m//g' <<<"$MVN_OUT" | grep -m 1 '^Apache Maven ') ||
    die "\`mvn -v\` with JAVA_HOME=$JDK_HOME does not look like Apache Maven:" "$MVN_OUT"
say "${MVN_LINE%% (*}: $(command -v mvn)"

# ------------------------------------------------------- 3. Unicorn --------

build_checker() {
    if [[ -x "$CHECKER" && "$CHECKER" -nt "$CHECK_SRC" ]]; then return 0; fi
    command -v gcc >/dev/null 2>&1 ||
        die "gcc is needed (to check the Unicorn library here, and later to build sel4sim's C shim)" \
            "install it: apt-get install gcc"
    gcc -O2 -Wall -o "$TMP/unicorn-check" "$CHECK_SRC" -ldl >&2 ||
        die "could not compile $CHECK_SRC with gcc (see above)"
    mv -f "$TMP/unicorn-check" "$CHECKER"
}

# Prints the version (2.1.4) of a libunicorn.so.2 if it loads here and works;
# the checker's complaints go to stderr only when $2 is "loud".
unicorn_version_of() {
    if [[ "${2:-}" == loud ]]; then
        "$CHECKER" "$1"
    else
        "$CHECKER" "$1" 2>/dev/null
    fi
}

version_ge() { # A B: A >= B (dotted versions)
    [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" == "$2" ]]
}

# Points native/libunicorn.so.2 at $1 (relative when inside the cache).
link_unicorn() {
    local target=$1
    if [[ "$target" == "$NATIVE/"* ]]; then target=${target#"$NATIVE/"}; fi
    ln -sfn "$target" "$TMP/libunicorn.so.2"
    mv -fT "$TMP/libunicorn.so.2" "$UNICORN_LINK"
}

# System copies of libunicorn.so.2: the dynamic loader's cache first, then the
# usual directories.
system_unicorn_candidates() {
    local multiarch
    multiarch=$(gcc -print-multiarch 2>/dev/null || true)
    {
        "$(command -v ldconfig || echo /sbin/ldconfig)" -p 2>/dev/null | awk '$1 == "libunicorn.so.2" { print $NF }' || true
        local dir
        for dir in ${multiarch:+/usr/lib/$multiarch /lib/$multiarch /usr/local/lib/$multiarch} \
            /usr/lib64 /usr/lib /usr/local/lib64 /usr/local/lib; do
            [[ -e "$dir/libunicorn.so.2" ]] && printf '%s\n' "$dir/libunicorn.so.2"
        done
    } | while IFS= read -r path; do
        readlink -f "$path"
    done | awk '!seen[$0]++'
}

# Writes the private apt configuration under apt/ (idempotent): Debian
# $DEBIAN_SUITE for this machine's architecture, the Packages index only (no
# translations, Contents or DEP-11 that apt.conf.d snippets of the machine
# may have switched on).
write_apt_config() {
    write_private_apt "$APTDIR" "$(dpkg --print-architecture)" scripts/setup.sh \
        "deb [signed-by=$DEBIAN_KEYRING target=Packages] $1 $DEBIAN_SUITE main"
}

# Unpacks a libunicorn2t64 .deb into native/, checks the library and links
# it; prints its uc_version.
install_unicorn_deb() {
    local deb=$1 pkg version arch dir lib v
    pkg=$(dpkg-deb -f "$deb" Package) || die "$deb is not a readable Debian package"
    version=$(dpkg-deb -f "$deb" Version)
    arch=$(dpkg-deb -f "$deb" Architecture)
    [[ "$pkg" == "$UNICORN_DEB" ]] || die "$deb holds package $pkg, not $UNICORN_DEB"
    [[ "$arch" == "$(dpkg --print-architecture)" ]] ||
        die "$deb is for architecture $arch, this machine is $(dpkg --print-architecture)"
    dir="$NATIVE/${pkg}_${version//:/%3a}"
    rm -rf "$TMP/unpack"
    dpkg -x "$deb" "$TMP/unpack" || die "dpkg -x $deb failed"
    lib=$(find "$TMP/unpack" -name libunicorn.so.2 \( -type f -o -type l \) | head -n 1)
    [[ -n "$lib" ]] || die "$deb contains no libunicorn.so.2"
    lib=${lib#"$TMP/unpack/"}
    if ldd "$TMP/unpack/$lib" 2>&1 | grep -q 'not found'; then
        die "libunicorn.so.2 from $pkg $version needs libraries this machine lacks:" \
            "$(ldd "$TMP/unpack/$lib" 2>&1 | grep 'not found')"
    fi
    v=$(unicorn_version_of "$TMP/unpack/$lib" loud) ||
        die "libunicorn.so.2 from $pkg $version does not load or work on this machine (see above)"
    rm -rf "$dir"
    mv "$TMP/unpack" "$dir"
    link_unicorn "$dir/$lib"
    UNICORN_SOURCE="Debian $pkg $version"
    UNICORN_VERSION=$v
}

# Fetches libunicorn2t64 from Debian $DEBIAN_SUITE into debs/ with the private
# apt configuration; prints the path of the .deb.
fetch_unicorn_deb() {
    local mirror conf version
    command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 ||
        die "Unicorn >= $UNICORN_MIN is not installed, and apt-get/dpkg are missing to fetch Debian's $UNICORN_DEB." \
            "Install Unicorn $UNICORN_WANTED yourself and set SEL4SIM_UNICORN to its libunicorn.so.2."
    [[ -r "$DEBIAN_KEYRING" ]] ||
        die "the Debian archive keyring $DEBIAN_KEYRING is missing" \
            "install it (apt-get install debian-archive-keyring) or set SEL4SIM_DEBIAN_KEYRING"
    mirror=$(detect_debian_mirror main)
    write_apt_config "$mirror"
    conf="$APTDIR/apt.conf"
    say "fetching the package lists of Debian $DEBIAN_SUITE from $mirror (private apt state in $APTDIR)"
    if ! apt-get -c "$conf" update >&2; then
        die "apt-get update of Debian $DEBIAN_SUITE from $mirror failed (see above)" \
            "set SEL4SIM_DEBIAN_MIRROR to a reachable Debian mirror, or install Unicorn >= $UNICORN_MIN" \
            "and set SEL4SIM_UNICORN to its libunicorn.so.2"
    fi
    version=$({ apt-cache -c "$conf" show --no-all-versions "$UNICORN_DEB" 2>/dev/null || true; } |
        sed -n 's/^Version: //p' | head -n 1)
    if [[ -z "$version" ]]; then
        local -a others=()
        mapfile -t others < <(apt-cache -c "$conf" search --names-only '^libunicorn' 2>/dev/null || true)
        ((${#others[@]})) || others=("(none)")
        die "Debian $DEBIAN_SUITE has no package $UNICORN_DEB. Its libunicorn* packages:" "${others[@]}" \
            "Install Unicorn >= $UNICORN_MIN and set SEL4SIM_UNICORN, or set SEL4SIM_DEBIAN_SUITE."
    fi
    if dpkg --compare-versions "$version" lt "$UNICORN_MIN~"; then
        die "Debian $DEBIAN_SUITE has $UNICORN_DEB $version, older than $UNICORN_MIN" \
            "install Unicorn >= $UNICORN_MIN and set SEL4SIM_UNICORN"
    fi
    if [[ "${version#*:}" != "${UNICORN_WANTED%.*}".* ]]; then
        say "note: Debian $DEBIAN_SUITE has $UNICORN_DEB $version, not ${UNICORN_WANTED%.*}.x; using it since it is >= $UNICORN_MIN"
    fi
    say "downloading $UNICORN_DEB $version into $DEBS"
    rm -rf "$TMP/dl" && mkdir -p "$TMP/dl"
    (cd "$TMP/dl" && apt-get -c "$conf" download "$UNICORN_DEB=$version" >&2) ||
        die "apt-get download $UNICORN_DEB=$version failed (see above)"
    local deb
    deb=$(find "$TMP/dl" -maxdepth 1 -name "${UNICORN_DEB}_*.deb" | head -n 1)
    [[ -n "$deb" ]] || die "apt-get download reported success but left no .deb"
    mv -f "$deb" "$DEBS/"
    # The lists are big and only needed for this fetch.
    find "$APTDIR/state/lists" -maxdepth 1 -type f -delete
    FETCHED_DEB="$DEBS/${deb##*/}"
}

resolve_unicorn() {
    local path v best='' best_v=''
    build_checker

    # a. an explicit choice
    if [[ -n "${SEL4SIM_UNICORN:-}" && "$SEL4SIM_UNICORN" != "$UNICORN_LINK" ]]; then
        v=$(unicorn_version_of "$SEL4SIM_UNICORN" loud) ||
            die "SEL4SIM_UNICORN=$SEL4SIM_UNICORN does not load as a Unicorn library (see above)"
        version_ge "$v" "$UNICORN_MIN" ||
            die "SEL4SIM_UNICORN=$SEL4SIM_UNICORN is Unicorn $v; sel4sim needs >= $UNICORN_MIN ($UNICORN_WANTED)"
        link_unicorn "$(readlink -f "$SEL4SIM_UNICORN")"
        UNICORN_SOURCE="SEL4SIM_UNICORN ($SEL4SIM_UNICORN)"
        UNICORN_VERSION=$v
        return
    fi

    # b. a system copy, if recent enough (the highest one)
    while IFS= read -r path; do
        [[ -n "$path" ]] || continue
        if v=$(unicorn_version_of "$path"); then
            if version_ge "$v" "$UNICORN_MIN"; then
                if [[ -z "$best" ]] || { version_ge "$v" "$best_v" && [[ "$v" != "$best_v" ]]; }; then
                    best=$path
                    best_v=$v
                fi
            else
                say "system $path is Unicorn $v, older than $UNICORN_MIN; not used"
            fi
        else
            say "system $path does not load or work here; not used"
        fi
    done < <(system_unicorn_candidates)
    if [[ -n "$best" ]]; then
        link_unicorn "$best"
        UNICORN_SOURCE="system ($best)"
        UNICORN_VERSION=$best_v
        return
    fi

    # c. the library unpacked by an earlier run
    local dir
    for dir in "$NATIVE/${UNICORN_DEB}"_*/; do
        [[ -d "$dir" ]] || continue
        path=$(find "$dir" -name libunicorn.so.2 \( -type f -o -type l \) | head -n 1)
        [[ -n "$path" ]] || continue
        if v=$(unicorn_version_of "$path") && version_ge "$v" "$UNICORN_MIN"; then
            if [[ -z "$best" ]] || { version_ge "$v" "$best_v" && [[ "$v" != "$best_v" ]]; }; then
                best=$path
                best_v=$v
                UNICORN_SOURCE="Debian ${UNICORN_DEB} $(basename "$dir" | sed "s/^${UNICORN_DEB}_//; s/%3a/:/")"
            fi
        fi
    done
    if [[ -n "$best" ]]; then
        link_unicorn "$best"
        UNICORN_VERSION=$best_v
        return
    fi

    # d. a package downloaded by an earlier run (newest first)
    local deb
    deb=$(find "$DEBS" -maxdepth 1 -name "${UNICORN_DEB}_*.deb" | sort -V | tail -n 1)
    if [[ -n "$deb" ]]; then
        say "unpacking $deb"
        install_unicorn_deb "$deb"
        return
    fi

    # e. fetch it
    say "no Unicorn >= $UNICORN_MIN on this machine; fetching Debian's $UNICORN_DEB (Unicorn $UNICORN_WANTED wanted) from Debian $DEBIAN_SUITE"
    FETCHED_DEB=''
    fetch_unicorn_deb
    install_unicorn_deb "$FETCHED_DEB"
}

UNICORN_SOURCE=''
UNICORN_VERSION=''
resolve_unicorn
if [[ "$UNICORN_VERSION" != "$UNICORN_WANTED" ]]; then
    say "note: Unicorn $UNICORN_VERSION in use; sel4sim is developed against $UNICORN_WANTED"
fi

# The block-hook shim (scripts/shim/sel4sim_shim.c), linked against the
# library chosen above and found beside it at run time ($ORIGIN).
build_shim() {
    gcc -O2 -Wall -shared -fPIC -o "$TMP/libsel4sim-shim.so" "$SHIM_SRC" \
        -L"$NATIVE" -l:libunicorn.so.2 -Wl,-rpath,'$ORIGIN' >&2 ||
        die "could not compile $SHIM_SRC with gcc (see above)"
    mv -f "$TMP/libsel4sim-shim.so" "$SHIM_LIB"
}
build_shim

# ----------------------------------------------- 4. env.sh and the stamp ---

render_env "$JDK_HOME" "$UNICORN_VERSION" >"$TMP/env.sh"
mv -f "$TMP/env.sh" "$ENV_FILE"
{
    printf 'fingerprint=%s\n' "$(fingerprint)"
    printf 'java_home_in=%s\n' "${JAVA_HOME:-}"
    printf 'java_home=%s\n' "$JDK_HOME"
    printf 'java_version=%s\n' "$JDK_VERSION"
    printf 'mvn=%s\n' "$(command -v mvn)"
    printf 'unicorn=%s\n' "$(readlink -f "$UNICORN_LINK")"
    printf 'unicorn_version=%s\n' "$UNICORN_VERSION"
    printf 'unicorn_source=%s\n' "$UNICORN_SOURCE"
    printf 'checked=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$TMP/stamp"
mv -f "$TMP/stamp" "$STAMP"

say "Unicorn $UNICORN_VERSION: $UNICORN_SOURCE -> $UNICORN_LINK"
say "ready; environment in $ENV_FILE"
finish
