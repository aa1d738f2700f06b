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
#       x86 boot protocol) and its configuration; some of its modules go into
#       the initramfs
#   busybox-static                             -> busybox (static i386 ELF)
# What it builds:
#   initramfs.cpio.gz (newc, gzip -n -9, byte-identical from build to build):
#       /bin/busybox, /mnt, and an /init that installs the applet links,
#       mounts proc, sysfs and devtmpfs, loads the virtio drivers when the
#       machine has a virtio device (see below), configures eth0 when the
#       command line has sel4sim.ip=ADDRESS/PREFIX, prints SEL4SIM-INIT-OK
#       (SEL4SIM-INIT-FAIL: ... instead if a mount, a module or eth0 fails)
#       and starts a shell on the console with `setsid cttyhack sh`
#       (prompt "# ").
#       In this kernel virtio, virtio_pci, virtio_mmio, virtio_net,
#       virtio_blk, virtio_console and ext4 (which mounts ext2: there is no
#       ext2 driver) are modules (uncompressed .ko).  They are copied from the
#       package with everything they depend on, in load order, as
#       scripts/lib/kmods.sh reads it from their .modinfo (the package has no
#       modules.dep), crc32c_generic added for ext4's soft dependency.  /init
#       insmods them only if a PCI function has vendor 0x1af4 or a virtio-mmio
#       platform device exists (ACPI's LNRO0005: this kernel lacks
#       virtio_mmio.device=), so a machine without one (x86_minimal, pci=off)
#       boots as fast as before.
#   disk.ext2: the same 4 MiB ext2 test disk as the arm64 one (/hello.txt,
#       "hello from a sel4sim virtio-blk disk"), from scripts/lib/disk-ext2.sh
#       with e2fsprogs (fixed UUID, hash seed and time: byte-identical builds)
#   deos-like.elf: our own guest from guests/x86/deos-like/, built with
#       gcc -m32 and ld (freestanding, no libraries, reproducible: the same
#       sources and tools give the same bytes), a Multiboot kernel shaped like
#       a Deos partition host (local APIC timer only, virtio-net over MMIO).
# The disk and deos-like.elf are rebuilt whenever their recipe (sources, flags,
# tools) changes, without unpacking any package; the initramfs is rebuilt from
# the cached .deb files when its recipe, busybox or the kernel changes.
#
# Cache: ${SEL4SIM_CACHE:-<repo root>/.cache}
#   guests/x86/   the images and MANIFEST: one line per image: file, Debian
#                 package (sel4sim for our own), version (gcc's for ours),
#                 sha256, a detail (the path in the package, the kernel
#                 release, or the recipe digest of the initramfs, the disk or
#                 deos-like)
#   apt-x86/      the private apt configuration (i386, bookworm); its package
#                 lists are deleted after each fetch
#   debs/         the .deb files, kept: a lost image is unpacked again from
#                 them without the network
#   .guests-x86.lock  flock(1) lock: concurrent runs do the work once
#
# By hand (Debian's qemu-system-x86), with a legacy virtio-pci NIC and disk:
#   qemu-system-i386 -m 256 -nographic -kernel bzImage -initrd initramfs.cpio.gz \
#     -append 'console=ttyS0 rdinit=/init sel4sim.ip=10.0.0.3/24' \
#     -netdev user,id=n,restrict=on -device virtio-net-pci,netdev=n,disable-modern=on \
#     -drive file=disk.ext2,if=none,id=d,format=raw,snapshot=on \
#     -device virtio-blk-pci,drive=d,disable-modern=on
#   then: mount /dev/vda /mnt && cat /mnt/hello.txt
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
# Modules /init loads when the machine has a virtio device, with all they depend on (found and
# ordered by scripts/lib/kmods.sh).  ext4 mounts ext2 (CONFIG_EXT4_USE_FOR_EXT2, no CONFIG_EXT2_FS);
# crc32c_generic is what its soft dependency crypto-crc32c names, which insmod does not follow.
readonly INIT_MODULE_ROOTS="virtio_pci virtio_mmio virtio_console virtio_net virtio_blk crc32c_generic ext4"
# The images made from Debian's packages, in MANIFEST order.
readonly -a IMAGES=(multiboot-kernel bzImage bzImage.config busybox initramfs.cpio.gz)
readonly DISK=disk.ext2
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
# shellcheck source=lib/kmods.sh
. "$SCRIPT_DIR/lib/kmods.sh"
# shellcheck source=lib/disk-ext2.sh
. "$SCRIPT_DIR/lib/disk-ext2.sh"
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
# The virtio drivers (and ext4, for the disk) are modules in this kernel. Loading them takes long on
# a simulated PC, so only a machine with a virtio device does: a PCI function of vendor 0x1af4, or a
# virtio-mmio platform device (ACPI's LNRO0005; this kernel has no virtio_mmio.device= parameter).
if grep -qs 0x1af4 /sys/bus/pci/devices/*/vendor ||
    ls /sys/bus/platform/devices 2>/dev/null | grep -q -e LNRO0005 -e virtio; then
    for m in $INIT_MODULES; do
        insmod /lib/modules/\$m.ko || { ok=0; echo "SEL4SIM-INIT-FAIL: insmod \$m"; }
    done
fi
# With console=hvc0 the console exists only now: open it again (stdio was nowhere until here).
if (: </dev/console) 2>/dev/null; then exec </dev/console >/dev/console 2>&1; fi
# sel4sim.ip=ADDRESS/PREFIX on the kernel command line configures eth0 (the system file's bootargs).
for arg in \$(cat /proc/cmdline); do
    case "\$arg" in
        sel4sim.ip=*) ip link set eth0 up && ip addr add "\${arg#sel4sim.ip=}" dev eth0 ||
            { ok=0; echo "SEL4SIM-INIT-FAIL: eth0 \${arg#sel4sim.ip=}"; } ;;
    esac
done
[ "\$ok" = 1 ] && echo $MARKER
export PS1='# ' HOME=/root TERM=\${TERM:-linux}
# A session of its own with the console's real tty (ttyS0) as its
# controlling terminal: /dev/console cannot be one.
exec setsid cttyhack sh
EOF
}

# The archive's entries (see newc_archive in scripts/lib/newc.sh).  The
# directories are where `busybox --install -s` puts its links; the modules
# are the staged ones, INIT_MODULES.
initramfs_entries() {
    local m
    for m in $INIT_MODULES; do
        printf 'mod lib/modules/%s.ko 644 %s.ko\n' "$m" "$m"
    done
    cat <<'EOF'
dir bin 755
file bin/busybox 755 busybox
dir dev 755
chr dev/console 600 5 1
dir etc 755
file init 755 init
dir lib 755
dir lib/modules 755
dir mnt 755
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

# What the initramfs is made from: the builder functions, the busybox binary
# and the kernel (its modules come from the same package).
initramfs_recipe() { # BUSYBOX BZIMAGE
    { declare -f init_script initramfs_entries newc_pad newc_entry newc_archive \
          kmod_name_of kmod_cat kmod_modinfo kmod_visit kmod_closure kmod_names kmod_stage
      printf '%s\n' "$MARKER" "$(sha256_of "$1")" "$(sha256_of "$2")" "$INIT_MODULE_ROOTS"; } |
        sha256sum | cut -c1-16
}

# Builds $1 from the busybox binary $2 and the kernel's module tree $3
# (lib/modules/<release> of the unpacked package).
build_initramfs() { # OUT BUSYBOX TREE
    # shellcheck disable=SC2086 # a list of names
    kmod_closure "$3" $INIT_MODULE_ROOTS
    INIT_MODULES=$(kmod_names)
    kmod_stage "$3" "$TMP/modules"
    init_script >"$TMP/init"
    newc_archive "$TMP/initramfs.cpio" "$2" "$TMP/init" "$TMP/modules"
    gzip -n -9 -c "$TMP/initramfs.cpio" >"$1" || die "gzip of the initramfs failed"
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

# A file's MANIFEST row matches the file's sha256 and names the recipe $2.
row_ok() { # FILE DETAIL
    [[ -f "$MANIFEST" && -f "$GDIR/$1" ]] || return 1
    local file sha detail
    while read -r file _ _ sha detail; do
        if [[ "$file" == "$1" ]]; then
            [[ "$detail" == "$2" && "$(sha256_of "$GDIR/$1")" == "$sha" ]]
            return
        fi
    done <"$MANIFEST"
    return 1
}

# deos-like.elf was built by the current recipe.
deos_ok() {
    deos_tools_ok && row_ok "$DEOS" "recipe=$(deos_recipe)"
}

# ------------------------------------------------------------------- disk ---

disk_row() { # FILE
    printf '%-20s %-34s %-24s %s %s' "$DISK" e2fsprogs+hello "$(mke2fs_version)" "$(sha256_of "$1")" \
        "recipe=$(disk_recipe)"
}

disk_ok() {
    row_ok "$DISK" "recipe=$(disk_recipe)"
}

build_disk() { # OUT
    say "building $DISK ($DISK_SIZE ext2 with /hello.txt, e2fsprogs $(mke2fs_version))"
    make_disk "$1" "$TMP"
}

# ------------------------------------------------------------------ state ---

# Every Debian image is listed in MANIFEST and matches its sha256, and the
# initramfs was built by the current recipe.
debian_ok() {
    [[ -f "$MANIFEST" ]] || return 1
    local -A seen=()
    local file pkg ver sha detail
    while read -r file pkg ver sha detail; do
        [[ "$file" == \#* || -z "$file" || "$file" == "$DEOS" || "$file" == "$DISK" ]] && continue
        [[ -f "$GDIR/$file" && "$(sha256_of "$GDIR/$file")" == "$sha" ]] || return 1
        if [[ "$file" == initramfs.cpio.gz ]]; then
            [[ "$detail" == "recipe=$(initramfs_recipe "$GDIR/busybox" "$GDIR/bzImage")" ]] || return 1
        fi
        seen[$file]=1
    done <"$MANIFEST"
    for file in "${IMAGES[@]}"; do
        [[ -n "${seen[$file]:-}" ]] || return 1
    done
}

images_ok() {
    debian_ok && disk_ok && deos_ok
}

# MANIFEST from ROWS, which are in the order of --print.
write_manifest() {
    {
        printf '# sel4sim x86 guest images, written by scripts/fetch-guests-x86.sh; re-run it instead of editing.\n'
        printf '# Debian %s, architecture all/%s.\n' "$SUITE" "$ARCH"
        printf '# file package version sha256 detail\n'
        printf '%s\n' "${ROWS[@]}"
    } >"$TMP/MANIFEST"
    mv -f "$TMP/MANIFEST" "$MANIFEST"
}

print_result() {
    if ((PRINT)); then
        local f
        for f in "${IMAGES[@]}" "$DISK" "$DEOS"; do printf '%s\n' "$GDIR/$f"; done
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

# Only our own images (the disk, deos-like) are missing or out of date: build
# those and replace their rows, without unpacking any package.
if ((!FORCE)) && debian_ok; then
    declare -A KEEP=()
    while IFS= read -r line; do
        [[ "$line" == \#* || -z "$line" ]] || KEEP[${line%% *}]=$line
    done <"$MANIFEST"
    if ! disk_ok; then
        build_disk "$TMP/$DISK"
        KEEP[$DISK]=$(disk_row "$TMP/$DISK")
        mv -f "$TMP/$DISK" "$GDIR/$DISK"
    fi
    if ! deos_ok; then
        say "building $DEOS from guests/x86/deos-like"
        build_deos_like "$TMP/$DEOS"
        KEEP[$DEOS]=$(deos_row "$TMP/$DEOS")
        mv -f "$TMP/$DEOS" "$GDIR/$DEOS"
    fi
    ROWS=()
    for f in "${IMAGES[@]}" "$DISK" "$DEOS"; do ROWS+=("${KEEP[$f]}"); done
    write_manifest
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
kmods=''
for kmods in "$TMP/x-kernel/lib/modules/$kver" "$TMP/x-kernel/usr/lib/modules/$kver" ''; do
    [[ -z "$kmods" || -d "$kmods" ]] && break
done
[[ -n "$kmods" ]] || die "$PKG has no lib/modules/$kver"

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

say "building initramfs.cpio.gz (busybox $bbver, /init, and the modules $INIT_MODULE_ROOTS with their dependencies)"
build_initramfs "$NEW/initramfs.cpio.gz" "$NEW/busybox" "$kmods"
row initramfs.cpio.gz "$BUSYBOX_PKG+init" "$bbver" "recipe=$(initramfs_recipe "$NEW/busybox" "$NEW/bzImage")"
rm -rf "$TMP/x-kernel"

build_disk "$NEW/$DISK"
ROWS+=("$(disk_row "$NEW/$DISK")")

say "building $DEOS from guests/x86/deos-like"
build_deos_like "$NEW/$DEOS"
ROWS+=("$(deos_row "$NEW/$DEOS")")

rm -f "$MANIFEST"
for f in "${IMAGES[@]}" "$DISK" "$DEOS"; do mv -f "$NEW/$f" "$GDIR/$f"; done
write_manifest
images_ok || die "the images in $GDIR do not match MANIFEST after the update"
say "x86 guest images ready in $GDIR"
print_result
