#!/usr/bin/env bash
# scripts/fetch-guests-x86.sh: real x86 guest images for sel4sim, taken from
# Debian's packages into the cache.  The system is never changed: packages are
# fetched with a private apt configuration (scripts/lib/private-apt.sh) and
# unpacked with `dpkg -x`; no root is needed.
#
# Usage:  scripts/fetch-guests-x86.sh [--print] [--force] [--help]
#   (none)    make sure the images are in place; print the guest directory
#   --print   print the absolute path of every image instead, one a line
#   --force   download and unpack the packages again
# stdout: only the path(s).  Progress and errors: stderr.
#
# What it fetches, from Debian bookworm:
#   multiboot (Architecture: all)  -> multiboot-kernel
#       the Multiboot specification's example kernel, an i386 ELF that prints
#       the Multiboot information on the VGA text screen (its
#       usr/lib/multiboot/examples/kernel)
#
# Cache: ${SEL4SIM_CACHE:-<repo root>/.cache}
#   guests/x86/   the images and MANIFEST: one line per image: file, Debian
#                 package, version, sha256, the path in the package
#   apt-x86/      the private apt configuration (i386, bookworm); its package
#                 lists are deleted after each fetch
#   debs/         the .deb files, kept: a lost image is unpacked again from
#                 them without the network
#   .guests-x86.lock  flock(1) lock: concurrent runs do the work once
#
# Environment (all optional):
#   SEL4SIM_CACHE, SEL4SIM_DEBIAN_MIRROR, SEL4SIM_DEBIAN_KEYRING: as for
#   scripts/fetch-guests.sh

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    echo "scripts/fetch-guests-x86.sh is meant to be run, not sourced" >&2
    return 1
fi

set -euo pipefail
export LC_ALL=C

readonly SUITE=bookworm
readonly ARCH=i386
readonly MB_PKG=multiboot
readonly MB_PATH=usr/lib/multiboot/examples/kernel
readonly MB_FILE=multiboot-kernel

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(dirname "$SCRIPT_DIR")
SELF="$SCRIPT_DIR/fetch-guests-x86.sh"
# shellcheck source=lib/private-apt.sh
. "$SCRIPT_DIR/lib/private-apt.sh"
DEBIAN_KEYRING=${SEL4SIM_DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}

say() { printf 'fetch-guests-x86: %s\n' "$*" >&2; }
die() {
    printf 'fetch-guests-x86: error: %s\n' "$1" >&2
    shift
    local line
    for line in "$@"; do printf '  %s\n' "$line" >&2; done
    exit 1
}
usage() { sed -n '2,/^# Cache:/{/^# Cache:/d;s/^# \{0,1\}//;p}' "$SELF" >&2; }
sha256_of() { local out; out=$(sha256sum -- "$1") || return 1; printf '%s\n' "${out%% *}"; }
hex_at() { od -An -v -tx1 -j "$2" -N "$3" -- "$1" | tr -d ' \n'; }

PRINT=0
FORCE=0
while (($#)); do
    case "$1" in
        --print) PRINT=1 ;;
        --force) FORCE=1 ;;
        -h | --help) usage; exit 0 ;;
        *) usage; die "unknown argument: $1" ;;
    esac
    shift
done

CACHE=${SEL4SIM_CACHE:-$REPO_ROOT/.cache}
[[ "$CACHE" == /* ]] || CACHE="$PWD/$CACHE"
mkdir -p "$CACHE" || die "cannot create the cache directory $CACHE" "set SEL4SIM_CACHE to a writable directory"
CACHE=$(cd "$CACHE" && pwd -P)
GDIR="$CACHE/guests/x86"
MANIFEST="$GDIR/MANIFEST"
APTDIR="$CACHE/apt-x86"
DEBS="$CACHE/debs"
LOCK="$CACHE/.guests-x86.lock"

# The image is listed in MANIFEST and matches its sha256.
images_ok() {
    [[ -f "$MANIFEST" ]] || return 1
    local file pkg ver sha rest
    while read -r file pkg ver sha rest; do
        [[ "$file" == "$MB_FILE" ]] || continue
        [[ -f "$GDIR/$file" && "$(sha256_of "$GDIR/$file")" == "$sha" ]] && return 0
    done <"$MANIFEST"
    return 1
}

print_result() {
    if ((PRINT)); then printf '%s\n' "$GDIR/$MB_FILE"; else printf '%s\n' "$GDIR"; fi
}

if ((!FORCE)) && images_ok; then
    print_result
    exit 0
fi

mkdir -p "$GDIR" "$DEBS" || die "cannot create $GDIR"
if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCK"
    if ! flock -n 9; then
        say "another fetch-guests-x86 is running on $CACHE; waiting for it"
        flock 9
        if ((!FORCE)) && images_ok; then print_result; exit 0; fi
    fi
fi
for tool in apt-get dpkg-deb dpkg sha256sum od; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is needed (Debian's apt and dpkg)"
done

TMP=$(mktemp -d "$CACHE/.tmp-guests-x86.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

DEB=''
if ((!FORCE)); then
    DEB=$(find "$DEBS" -maxdepth 1 -name "${MB_PKG}_*_all.deb" 2>/dev/null | sort | tail -n 1)
fi
if [[ -n "$DEB" ]]; then
    say "unpacking $(basename "$DEB") again (no network needed)"
else
    [[ -r "$DEBIAN_KEYRING" ]] || die "the Debian archive keyring $DEBIAN_KEYRING is missing" \
        "install debian-archive-keyring, or set SEL4SIM_DEBIAN_KEYRING"
    MIRROR=$(detect_debian_mirror main)
    write_private_apt "$APTDIR" "$ARCH" "scripts/fetch-guests-x86.sh" \
        "deb [signed-by=$DEBIAN_KEYRING] $MIRROR $SUITE main" \
        "deb [signed-by=$DEBIAN_KEYRING] $MIRROR $SUITE-updates main"
    say "reading Debian $SUITE's package lists ($ARCH) from $MIRROR"
    apt-get -c "$APTDIR/apt.conf" update >&2 || die "apt-get update failed (see above)" \
        "a network or mirror problem: check the mirror (SEL4SIM_DEBIAN_MIRROR), then run this again"
    say "downloading $MB_PKG"
    (cd "$TMP" && apt-get -c "$APTDIR/apt.conf" download "$MB_PKG" >&2) || die "apt-get download $MB_PKG failed (see above)"
    find "$APTDIR/state/lists" -maxdepth 1 -type f -delete
    f=$(find "$TMP" -maxdepth 1 -name "${MB_PKG}_*.deb" | head -n 1)
    [[ -n "$f" ]] || die "apt-get download left no .deb of $MB_PKG"
    rm -f "$DEBS/${MB_PKG}"_*.deb
    mv -f "$f" "$DEBS/"
    DEB="$DEBS/$(basename "$f")"
fi

pkg=$(dpkg-deb -f "$DEB" Package) && ver=$(dpkg-deb -f "$DEB" Version) || die "$DEB is not a readable Debian package"
[[ "$pkg" == "$MB_PKG" ]] || die "$DEB holds $pkg, not $MB_PKG"
say "unpacking $pkg $ver"
dpkg -x "$DEB" "$TMP/x" >&2 || die "dpkg -x $DEB failed" "delete it and run this again with --force"
[[ -f "$TMP/x/$MB_PATH" ]] || die "$pkg $ver has no $MB_PATH" "the package layout may have changed; report it with the version"
# ELF, 32-bit, little-endian, e_machine 3 (EM_386), and the Multiboot magic somewhere in the first 8 KiB.
[[ "$(hex_at "$TMP/x/$MB_PATH" 0 6)" == 7f454c460101 && "$(hex_at "$TMP/x/$MB_PATH" 18 2)" == 0300 ]] ||
    die "$pkg $ver: $MB_PATH is not a little-endian i386 ELF file"
od -An -v -tx1 -N 8192 -- "$TMP/x/$MB_PATH" | tr -d ' \n' | grep -q '02b0ad1b' ||
    die "$pkg $ver: $MB_PATH has no Multiboot magic in its first 8 KiB"

rm -f "$MANIFEST"
cp -- "$TMP/x/$MB_PATH" "$GDIR/$MB_FILE"
{
    printf '# sel4sim x86 guest images, written by scripts/fetch-guests-x86.sh; re-run it instead of editing.\n'
    printf '# Debian %s, architecture all/%s.\n' "$SUITE" "$ARCH"
    printf '# file package version sha256 detail\n'
    printf '%-20s %-12s %-24s %s %s\n' "$MB_FILE" "$pkg" "$ver" "$(sha256_of "$GDIR/$MB_FILE")" "from=$MB_PATH"
} >"$TMP/MANIFEST"
mv -f "$TMP/MANIFEST" "$MANIFEST"
images_ok || die "the images in $GDIR do not match MANIFEST after the update"
say "x86 guest images ready in $GDIR"
print_result
