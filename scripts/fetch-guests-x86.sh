#!/usr/bin/env bash
# scripts/fetch-guests-x86.sh: real x86 guest images for sel4sim, taken from
# Debian's packages into the cache, and a small i386 initramfs built from
# them.  The system is never changed: packages are fetched with a private apt
# configuration (scripts/lib/private-apt.sh) and unpacked with `dpkg -x`; no
# root is needed.
#
# Usage:  scripts/fetch-guests-x86.sh [--print] [--force] [--help]
#   (none)    make sure the images are in place; print the guest directory
#   --print   print the absolute path of every image instead, one a line
#   --force   download and unpack the packages again
# stdout: only the path(s).  Progress and errors: stderr.
#
# What it fetches, from Debian bookworm (i386):
#   multiboot (Architecture: all)              -> multiboot-kernel
#       the Multiboot specification's example kernel, an i386 ELF that prints
#       the Multiboot information on the VGA text screen
#   linux-image-6.1.0-N-686-unsigned (newest)  -> bzImage, bzImage.config
#       the non-PAE i386 kernel (its boot/vmlinuz, a bzImage for the Linux
#       x86 boot protocol) and its configuration
#   busybox-static                             -> busybox (static i386 ELF)
# and builds initramfs.cpio.gz (newc, gzip -n -9): /bin/busybox and an /init
# that installs the applet links, mounts proc, sysfs and devtmpfs, prints
# SEL4SIM-INIT-OK (SEL4SIM-INIT-FAIL: ... if a mount fails) and starts a
# shell on the console with `setsid cttyhack sh` (prompt "# ").
# It also builds our own guest from guests/x86/deos-like/ with gcc -m32 and
# ld (freestanding, no libraries, reproducible: the same sources and tools
# give the same bytes) -> deos-like.elf, a Multiboot kernel shaped like a Deos
# partition host (local APIC timer only, virtio-net over MMIO).  It is rebuilt
# whenever its sources, flags or tools change, without fetching anything.
#
# Cache: ${SEL4SIM_CACHE:-<repo root>/.cache}
#   guests/x86/   the images and MANIFEST: one line per image: file, Debian
#                 package (sel4sim for our own), version (gcc's for ours),
#                 sha256, a detail (the path in the package, the kernel
#                 release, or the recipe digest of the initramfs or deos-like)
#   apt-x86/      the private apt configuration (i386, bookworm); its package
#                 lists are deleted after each fetch
#   debs/         the .deb files, kept: a lost image is unpacked again from
#                 them without the network
#   .guests-x86.lock  flock(1) lock: concurrent runs do the work once
#
# By hand:
#   qemu-system-i386 -m 256 -nographic -kernel bzImage -initrd initramfs.cpio.gz \
#     -append 'console=ttyS0 rdinit=/init'
#
# Environment (all optional):
#   SEL4SIM_CACHE, SEL4SIM_DEBIAN_MIRROR, SEL4SIM_DEBIAN_SECURITY_MIRROR,
#   SEL4SIM_DEBIAN_KEYRING: as for scripts/fetch-guests.sh

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
readonly KERNEL_RE='^linux-image-6\.1\.0-[0-9]+-686-unsigned$'
readonly BUSYBOX_PKG=busybox-static
readonly MARKER=SEL4SIM-INIT-OK
readonly -a IMAGES=(multiboot-kernel bzImage bzImage.config busybox initramfs.cpio.gz)
readonly DEOS=deos-like.elf
readonly -a DEOS_FILES=(start.S main.c serial.c apic.c virtio_net.c net.c deos.h link.ld)
readonly -a DEOS_CFLAGS=(-m32 -march=i686 -std=gnu11 -O2 -g0 -ffreestanding -fno-pic -fno-pie
    -fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin -mno-sse -mno-mmx -Wall -Wextra)
readonly -a DEOS_LDFLAGS=(-m elf_i386 -nostdlib --build-id=none --no-warn-rwx-segments -T link.ld)

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(dirname "$SCRIPT_DIR")
SELF="$SCRIPT_DIR/fetch-guests-x86.sh"
DEOS_SRC="$REPO_ROOT/guests/x86/deos-like"
# shellcheck source=lib/private-apt.sh
. "$SCRIPT_DIR/lib/private-apt.sh"
# shellcheck source=lib/newc.sh
. "$SCRIPT_DIR/lib/newc.sh"
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

# ------------------------------------------------------------- initramfs ---

# /init: run by the kernel as `/bin/busybox sh /init`, with no PATH.
init_script() {
    cat <<EOF
#!/bin/busybox sh
# /init of sel4sim's i386 test initramfs (made by scripts/fetch-guests-x86.sh).
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
ok=1
mount -t proc proc /proc || { ok=0; echo "SEL4SIM-INIT-FAIL: mount proc"; }
mount -t sysfs sysfs /sys || { ok=0; echo "SEL4SIM-INIT-FAIL: mount sysfs"; }
mount -t devtmpfs devtmpfs /dev || { ok=0; echo "SEL4SIM-INIT-FAIL: mount devtmpfs"; }
[ "\$ok" = 1 ] && echo $MARKER
export PS1='# ' HOME=/root TERM=\${TERM:-linux}
# A session of its own with the console's real tty (ttyS0) as its
# controlling terminal: /dev/console cannot be one.
exec setsid cttyhack sh
EOF
}

# The archive's entries: type, path, permission bits (octal), then the source
# (init or busybox) of a file, or the major and minor of a character device.
initramfs_entries() {
    cat <<'EOF'
dir bin 755
file bin/busybox 755 busybox
dir dev 755
chr dev/console 600 5 1
dir etc 755
file init 755 init
dir proc 755
dir root 700
dir sbin 755
dir sys 755
dir tmp 1777
dir usr 755
dir usr/bin 755
dir usr/sbin 755
EOF
}


# Writes the uncompressed archive to $1 from the entries, with the busybox
# binary $2 and the init script file $3.
newc_archive() { # OUT BUSYBOX INIT
    local out=$1 type path perm a b ino=0 src
    exec 3>"$out"
    while read -r type path perm a b; do
        ino=$((ino + 1))
        case "$type" in
            dir) newc_entry "$ino" $((8#040000 | 8#$perm)) 2 0 0 "$path" ;;
            file)
                case "$a" in
                    busybox) src=$2 ;;
                    init) src=$3 ;;
                    *) die "initramfs entry $path: unknown source $a" ;;
                esac
                newc_entry "$ino" $((8#0100000 | 8#$perm)) 1 0 0 "$path" "$src"
                ;;
            chr) newc_entry "$ino" $((8#020000 | 8#$perm)) 1 "$a" "$b" "$path" ;;
            *) die "initramfs entry $path: unknown type $type" ;;
        esac
    done < <(initramfs_entries | sort -k2,2)
    newc_entry 0 0 1 0 0 'TRAILER!!!'
    exec 3>&-
}

# What the initramfs is made from: the builder functions and the busybox binary.
initramfs_recipe() { # BUSYBOX
    { declare -f init_script initramfs_entries newc_pad newc_entry newc_archive
      printf '%s\n' "$MARKER" "$(sha256_of "$1")"; } | sha256sum | cut -c1-16
}

# -------------------------------------------------------------- deos-like ---

deos_tools_ok() {
    command -v gcc >/dev/null 2>&1 && command -v ld >/dev/null 2>&1
}

# What deos-like.elf is made from: its sources, the flags, the builder and the
# tools' versions.
deos_recipe() {
    { declare -f build_deos_like
      printf '%s\n' "${DEOS_CFLAGS[*]}" "${DEOS_LDFLAGS[*]}" "$(gcc --version | head -n 1)" "$(ld --version | head -n 1)"
      (cd "$DEOS_SRC" && sha256sum -- "${DEOS_FILES[@]}"); } | sha256sum | cut -c1-16
}

# Compiles the sources in their own directory (relative names: no build path
# ends up in the image) into a scratch directory, and links $1.
build_deos_like() { # OUT
    local obj f objs=()
    obj=$(mktemp -d "$TMP/deos.XXXXXX")
    for f in "${DEOS_FILES[@]}"; do
        case "$f" in
            *.c | *.S)
                (cd "$DEOS_SRC" && gcc "${DEOS_CFLAGS[@]}" -c "$f" -o "$obj/${f%.*}.o") >&2 ||
                    die "gcc could not compile guests/x86/deos-like/$f (see above)" \
                        "gcc with -m32 (i386 code generation) is needed; no i386 libraries are"
                objs+=("$obj/${f%.*}.o")
                ;;
        esac
    done
    (cd "$DEOS_SRC" && ld "${DEOS_LDFLAGS[@]}" -o "$1" "${objs[@]}") >&2 || die "ld could not link deos-like.elf"
    [[ "$(hex_at "$1" 0 6)" == 7f454c460101 && "$(hex_at "$1" 18 2)" == 0300 ]] ||
        die "deos-like.elf is not a little-endian i386 ELF file"
}

deos_row() { # FILE
    printf '%-20s %-34s %-24s %s %s' "$DEOS" sel4sim:guests/x86/deos-like "gcc-$(gcc -dumpfullversion)" \
        "$(sha256_of "$1")" "recipe=$(deos_recipe)"
}

# deos-like.elf is listed in MANIFEST, matches its sha256 and was built by the
# current recipe.
deos_ok() {
    [[ -f "$MANIFEST" && -f "$GDIR/$DEOS" ]] || return 1
    deos_tools_ok || return 1
    local file pkg ver sha detail
    while read -r file pkg ver sha detail; do
        if [[ "$file" == "$DEOS" ]]; then
            [[ "$(sha256_of "$GDIR/$DEOS")" == "$sha" && "$detail" == "recipe=$(deos_recipe)" ]]
            return
        fi
    done <"$MANIFEST"
    return 1
}

# ------------------------------------------------------------------ state ---

# Every Debian image is listed in MANIFEST and matches its sha256, and the
# initramfs was built by the current recipe.
debian_ok() {
    [[ -f "$MANIFEST" ]] || return 1
    local -A seen=()
    local file pkg ver sha detail
    while read -r file pkg ver sha detail; do
        [[ "$file" == \#* || -z "$file" || "$file" == "$DEOS" ]] && continue
        [[ -f "$GDIR/$file" && "$(sha256_of "$GDIR/$file")" == "$sha" ]] || return 1
        if [[ "$file" == initramfs.cpio.gz ]]; then
            [[ "$detail" == "recipe=$(initramfs_recipe "$GDIR/busybox")" ]] || return 1
        fi
        seen[$file]=1
    done <"$MANIFEST"
    for file in "${IMAGES[@]}"; do
        [[ -n "${seen[$file]:-}" ]] || return 1
    done
}

images_ok() {
    debian_ok && deos_ok
}

print_result() {
    if ((PRINT)); then
        local f
        for f in "${IMAGES[@]}" "$DEOS"; do printf '%s\n' "$GDIR/$f"; done
    else
        printf '%s\n' "$GDIR"
    fi
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
deos_tools_ok || die "gcc and ld are needed to build deos-like.elf (Debian's gcc and binutils)"
TMP=$(mktemp -d "$CACHE/.tmp-guests-x86.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# Only our own guest is missing or out of date: build it and replace its row.
if ((!FORCE)) && debian_ok; then
    say "building $DEOS from guests/x86/deos-like"
    build_deos_like "$TMP/$DEOS"
    { grep -v "^$DEOS " "$MANIFEST"; deos_row "$TMP/$DEOS"; printf '\n'; } >"$TMP/MANIFEST"
    mv -f "$TMP/$DEOS" "$GDIR/$DEOS"
    mv -f "$TMP/MANIFEST" "$MANIFEST"
    images_ok || die "the images in $GDIR do not match MANIFEST after the update"
    print_result
    exit 0
fi

for tool in apt-get apt-cache dpkg-deb dpkg sha256sum od gzip; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is needed (Debian's apt and dpkg)"
done

# ------------------------------------------------------------- packages ---

# The newest .deb in debs/ whose name matches a glob; empty if none.
cached_deb() { # GLOB
    find "$DEBS" -maxdepth 1 -name "$1" 2>/dev/null | sort -V | tail -n 1
}

declare -A DEB=()
DEB[mb]=$(cached_deb "${MB_PKG}_*_all.deb")
DEB[kernel]=$(cached_deb 'linux-image-6.1.0-*-686-unsigned_*_i386.deb')
DEB[busybox]=$(cached_deb "${BUSYBOX_PKG}_*_i386.deb")
if ((FORCE)) || [[ -z "${DEB[mb]}" || -z "${DEB[kernel]}" || -z "${DEB[busybox]}" ]]; then
    [[ -r "$DEBIAN_KEYRING" ]] || die "the Debian archive keyring $DEBIAN_KEYRING is missing" \
        "install debian-archive-keyring, or set SEL4SIM_DEBIAN_KEYRING"
    MIRROR=$(detect_debian_mirror main)
    SECURITY=$(detect_debian_mirror security)
    opts="[signed-by=$DEBIAN_KEYRING target=Packages]"
    write_private_apt "$APTDIR" "$ARCH" "scripts/fetch-guests-x86.sh" \
        "deb $opts $MIRROR $SUITE main" \
        "deb $opts $MIRROR $SUITE-updates main" \
        "deb $opts $SECURITY $SUITE-security main"
    say "reading Debian $SUITE's package lists ($ARCH) from $MIRROR and $SECURITY"
    apt-get -c "$APTDIR/apt.conf" update >&2 || die "apt-get update failed (see above)" \
        "a network or mirror problem: check the mirror (SEL4SIM_DEBIAN_MIRROR), then run this again"
    kpkg=$(apt-cache -c "$APTDIR/apt.conf" pkgnames linux-image-6.1.0- 2>/dev/null | grep -E "$KERNEL_RE" | sort -V |
        tail -n 1) || true
    [[ -n "$kpkg" ]] || die "Debian $SUITE ($ARCH) has no package matching $KERNEL_RE"
    say "downloading $MB_PKG $kpkg $BUSYBOX_PKG"
    mkdir -p "$TMP/dl"
    (cd "$TMP/dl" && apt-get -c "$APTDIR/apt.conf" download "$MB_PKG" "$kpkg" "$BUSYBOX_PKG" >&2) ||
        die "apt-get download failed (see above)"
    find "$APTDIR/state/lists" -maxdepth 1 -type f -delete
    for role in mb:"${MB_PKG}_*.deb" kernel:"${kpkg}_*.deb" busybox:"${BUSYBOX_PKG}_*.deb"; do
        f=$(find "$TMP/dl" -maxdepth 1 -name "${role#*:}" | head -n 1)
        [[ -n "$f" ]] || die "apt-get download left no ${role#*:}"
        case "${role%%:*}" in
            mb) rm -f "$DEBS/${MB_PKG}"_*_all.deb ;;
            kernel) rm -f "$DEBS"/linux-image-6.1.0-*-686-unsigned_*_i386.deb ;;
            busybox) rm -f "$DEBS/${BUSYBOX_PKG}"_*_i386.deb ;;
        esac
        mv -f "$f" "$DEBS/"
        DEB[${role%%:*}]="$DEBS/$(basename "$f")"
    done
else
    say "unpacking the cached packages again (no network needed)"
fi

# Unpacks one package into $TMP/x-ROLE and sets PKG and VER.
unpack() { # ROLE
    PKG=$(dpkg-deb -f "${DEB[$1]}" Package) && VER=$(dpkg-deb -f "${DEB[$1]}" Version) ||
        die "${DEB[$1]} is not a readable Debian package"
    say "unpacking $PKG $VER"
    rm -rf "$TMP/x-$1"
    dpkg -x "${DEB[$1]}" "$TMP/x-$1" >&2 || die "dpkg -x ${DEB[$1]} failed" "delete it and run this again with --force"
}

NEW="$TMP/new"
mkdir -p "$NEW"
ROWS=()
row() { # FILE PACKAGE VERSION DETAIL
    ROWS+=("$(printf '%-20s %-34s %-24s %s %s' "$1" "$2" "$3" "$(sha256_of "$NEW/$1")" "$4")")
}

unpack mb
[[ -f "$TMP/x-mb/$MB_PATH" ]] || die "$PKG $VER has no $MB_PATH" "the package layout may have changed"
cp -- "$TMP/x-mb/$MB_PATH" "$NEW/multiboot-kernel"
# ELF, 32-bit, little-endian, e_machine 3 (EM_386), and the Multiboot magic in the first 8 KiB.
[[ "$(hex_at "$NEW/multiboot-kernel" 0 6)" == 7f454c460101 && "$(hex_at "$NEW/multiboot-kernel" 18 2)" == 0300 ]] ||
    die "$PKG $VER: $MB_PATH is not a little-endian i386 ELF file"
od -An -v -tx1 -N 8192 -- "$NEW/multiboot-kernel" | tr -d ' \n' | grep -q '02b0ad1b' ||
    die "$PKG $VER: $MB_PATH has no Multiboot magic in its first 8 KiB"
row multiboot-kernel "$PKG" "$VER" "from=$MB_PATH"

unpack kernel
mapfile -t found < <(find "$TMP/x-kernel/boot" -maxdepth 1 -name 'vmlinuz-*')
((${#found[@]} == 1)) || die "$PKG holds ${#found[@]} boot/vmlinuz-* files, expected one"
kver=${found[0]##*/vmlinuz-}
cp -- "${found[0]}" "$NEW/bzImage"
cp -- "$TMP/x-kernel/boot/config-$kver" "$NEW/bzImage.config" || die "$PKG has no boot/config-$kver"
# The x86 boot protocol: 0xAA55 at 0x1FE and "HdrS" at 0x202.
[[ "$(hex_at "$NEW/bzImage" 510 2)" == 55aa && "$(hex_at "$NEW/bzImage" 514 4)" == 48647253 ]] ||
    die "$PKG: boot/vmlinuz-$kver is not a bzImage (no boot flag or HdrS)"
row bzImage "$PKG" "$VER" "release=$kver"
row bzImage.config "$PKG" "$VER" "release=$kver"

unpack busybox
bb=''
for bb in bin/busybox usr/bin/busybox ''; do
    [[ -z "$bb" || -f "$TMP/x-busybox/$bb" ]] && break
done
[[ -n "$bb" ]] || die "$PKG $VER has no bin/busybox"
cp -- "$TMP/x-busybox/$bb" "$NEW/busybox"
chmod 755 "$NEW/busybox"
[[ "$(hex_at "$NEW/busybox" 0 6)" == 7f454c460101 && "$(hex_at "$NEW/busybox" 18 2)" == 0300 ]] ||
    die "$PKG $VER: $bb is not a little-endian i386 ELF binary"
row busybox "$PKG" "$VER" "from=$bb"
bbver=$VER

say "building initramfs.cpio.gz (busybox $bbver and /init)"
init_script >"$TMP/init"
newc_archive "$TMP/initramfs.cpio" "$NEW/busybox" "$TMP/init"
gzip -n -9 -c "$TMP/initramfs.cpio" >"$NEW/initramfs.cpio.gz" || die "gzip of the initramfs failed"
row initramfs.cpio.gz "$BUSYBOX_PKG+init" "$bbver" "recipe=$(initramfs_recipe "$NEW/busybox")"

say "building $DEOS from guests/x86/deos-like"
build_deos_like "$NEW/$DEOS"
ROWS+=("$(deos_row "$NEW/$DEOS")")

rm -f "$MANIFEST"
for f in "${IMAGES[@]}" "$DEOS"; do mv -f "$NEW/$f" "$GDIR/$f"; done
{
    printf '# sel4sim x86 guest images, written by scripts/fetch-guests-x86.sh; re-run it instead of editing.\n'
    printf '# Debian %s, architecture all/%s.\n' "$SUITE" "$ARCH"
    printf '# file package version sha256 detail\n'
    printf '%s\n' "${ROWS[@]}"
} >"$TMP/MANIFEST"
mv -f "$TMP/MANIFEST" "$MANIFEST"
images_ok || die "the images in $GDIR do not match MANIFEST after the update"
say "x86 guest images ready in $GDIR"
print_result
