#!/usr/bin/env bash
# scripts/fetch-guests.sh: real AArch64 guest images for sel4sim, taken from
# Debian's packages into the cache, and a small initramfs built from them.
# The system is never changed: the packages are fetched with a private apt
# configuration (scripts/lib/private-apt.sh) and unpacked with `dpkg -x`;
# no root is needed.  `scripts/setup.sh --guests` runs it too.
#
# Usage:  scripts/fetch-guests.sh [--print] [--force] [--help]
#   (none)    make sure the images are in place; print the guest directory
#   --print   print the absolute path of every image instead, one a line
#   --force   download and unpack every package again and rebuild the
#             initramfs, even if the cache is complete
# stdout: only the path(s).  Progress and errors: stderr.  Exit status 0
# when every image is in place, non-zero otherwise.
#
# What it fetches: the newest of each, from Debian bookworm (the suites
# bookworm, bookworm-updates and bookworm-security), architecture arm64:
#   linux-image-6.1.0-N-cloud-arm64-unsigned  -> Image, Image.config (its
#                                 kernel configuration), lib/modules/<release>/
#   linux-image-6.1.0-N-arm64-unsigned        -> Image-generic
#   u-boot-qemu (Architecture: all)           -> u-boot.bin
#                                 (its usr/lib/u-boot/qemu_arm64/u-boot.bin)
#   busybox-static                            -> busybox
# Debian's arm64 vmlinuz is the raw arm64 boot Image (magic "ARM\x64" at
# offset 56); a gzip-compressed one would be decompressed.
# It builds initramfs.cpio.gz: /bin/busybox and an /init script that
# installs the busybox applet links, mounts proc, sysfs and devtmpfs, loads
# the kernel's virtio modules (virtio_mmio, virtio_console, virtio_net,
# virtio_blk and their dependencies, copied from the kernel package and
# ordered by their .modinfo (scripts/lib/kmods.sh); pktgen.ko is there too,
# unloaded, for the network benchmark), prints the line
# SEL4SIM-INIT-OK and starts a shell with job control on the console
# (prompt "# ").  If a mount or a module fails it prints
# SEL4SIM-INIT-FAIL: ... instead of the marker, and still starts the shell.
# /mnt is there for a disk: the kernel has ext2 (through ext4) built in.
# It also builds disk.ext2, a 4 MiB ext2 file system for virtio-blk holding
# /hello.txt (the line "hello from a sel4sim virtio-blk disk"), made by
# mke2fs -d (scripts/lib/disk-ext2.sh, shared with scripts/fetch-guests-x86.sh)
# with our own mke2fs.conf, a fixed UUID, hash seed and
# time (E2FSPROGS_FAKE_TIME; the file's ctime set with debugfs), so two builds
# with the same e2fsprogs are byte-identical.
#
# Cache: ${SEL4SIM_CACHE:-<repo root>/.cache}
#   guests/arm64/      the images, named as above, and MANIFEST: one line
#                      per image: file, Debian package, version, sha256, and
#                      a detail (the kernel release, the path in the
#                      package, or the initramfs recipe).  For the modules
#                      tree the sha256 is that of its sorted "type path size"
#                      listing.  The initramfs row names the digest of its
#                      recipe (this script's builder functions and the busybox
#                      binary): a change of either rebuilds it.  The disk.ext2
#                      row (package e2fsprogs, the mke2fs version) names the
#                      digest of its recipe the same way.
#                      lib/modules/<release>/ is the cloud kernel's whole
#                      module tree as packaged (no depmod output: Debian
#                      makes that at install time).  virtio_mmio,
#                      virtio_console and virtio_net are modules there
#                      (CONFIG_*=m), for a later initramfs; their .modinfo
#                      dependencies give the load order virtio_ring, virtio,
#                      virtio_mmio, virtio_console, failover, net_failover,
#                      virtio_net.
#   apt-arm64/         the private apt configuration (apt.conf, usable as
#                      `apt-get -c .cache/apt-arm64/apt.conf ...`); its
#                      package lists are deleted after each fetch
#   debs/              the .deb files, kept: a lost or damaged image is
#                      unpacked again from them without the network
#   .guests.lock       flock(1) lock: concurrent runs do the work once
#
# Warm runs: when MANIFEST lists every image and every sha256 matches, it
# only prints (no network; about a quarter of a second of hashing).  When
# only the initramfs is missing or stale, it is rebuilt locally.
#
# The initramfs is a newc cpio written in bash (scripts/lib/newc.sh): no cpio program or Python is needed, and every header field
# is chosen here (mtime 0, uid/gid 0, sequential inode numbers, entries in
# byte order, /dev/console as a device node without root), so two builds
# are byte-identical on any machine and file system.  It is compressed
# with `gzip -n -9`.
#
# By hand (the images boot to the marker in about 2 s under TCG):
#   qemu-system-aarch64 -M virt -cpu cortex-a53 -m 256 -nographic -nic none \
#     -kernel Image -initrd initramfs.cpio.gz -append console=ttyAMA0
#
# Environment (all optional):
#   SEL4SIM_CACHE                   the cache directory (default <repo root>/.cache)
#   SEL4SIM_DEBIAN_MIRROR           Debian mirror URI (default: the one the
#                                   machine's apt sources use, else
#                                   http://deb.debian.org/debian)
#   SEL4SIM_DEBIAN_SECURITY_MIRROR  Debian security mirror URI (default: the
#                                   machine's, else http://deb.debian.org/debian-security)
#   SEL4SIM_DEBIAN_KEYRING          keyring for bookworm (default
#                                   /usr/share/keyrings/debian-archive-keyring.gpg)

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    echo "scripts/fetch-guests.sh is meant to be run, not sourced" >&2
    return 1
fi

set -euo pipefail
# Byte order for sort, byte counts for ${#name}.
export LC_ALL=C

readonly SUITE=bookworm
readonly ARCH=arm64
readonly CLOUD_RE='^linux-image-6\.1\.0-[0-9]+-cloud-arm64-unsigned$'
readonly GENERIC_RE='^linux-image-6\.1\.0-[0-9]+-arm64-unsigned$'
readonly UBOOT_PKG=u-boot-qemu
readonly UBOOT_PATH=usr/lib/u-boot/qemu_arm64/u-boot.bin
readonly BUSYBOX_PKG=busybox-static
readonly MARKER=SEL4SIM-INIT-OK
# Modules /init loads (with all they depend on, which scripts/lib/kmods.sh finds and orders),
# and those that are only put into the initramfs.
readonly INIT_MODULE_ROOTS="virtio_mmio virtio_console virtio_net virtio_blk"
readonly SPARE_MODULE_ROOTS="pktgen"

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(dirname "$SCRIPT_DIR")
SELF="$SCRIPT_DIR/fetch-guests.sh"
# shellcheck source=lib/private-apt.sh
. "$SCRIPT_DIR/lib/private-apt.sh"
# shellcheck source=lib/newc.sh
. "$SCRIPT_DIR/lib/newc.sh"
# shellcheck source=lib/kmods.sh
. "$SCRIPT_DIR/lib/kmods.sh"
# shellcheck source=lib/disk-ext2.sh
. "$SCRIPT_DIR/lib/disk-ext2.sh"

DEBIAN_KEYRING=${SEL4SIM_DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}

# ---------------------------------------------------------------- helpers ---

say() { printf 'fetch-guests: %s\n' "$*" >&2; }

die() {
    printf 'fetch-guests: error: %s\n' "$1" >&2
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

sha256_of() {
    local out
    out=$(sha256sum -- "$1") || return 1
    printf '%s\n' "${out%% *}"
}

# Digest of a directory tree: its sorted "type path size" listing, which
# notices a lost, added or truncated file without reading them all.
tree_digest() {
    local out
    out=$(cd "$1" && find . -mindepth 1 -printf '%y %P %s\n' | sort | sha256sum) || return 1
    printf '%s\n' "${out%% *}"
}

# The digest a MANIFEST row's sha256 column holds, for a file or (name
# ending in /) a tree under the guest directory.
digest_of() {
    local path="$GDIR/${1%/}"
    if [[ "$1" == */ ]]; then
        [[ -d "$path" ]] && tree_digest "$path"
    else
        [[ -f "$path" ]] && sha256_of "$path"
    fi
}

# Hex bytes of a file: od's output without spaces.
hex_at() { # FILE OFFSET COUNT
    od -An -v -tx1 -j "$2" -N "$3" -- "$1" | tr -d ' \n'
}

human_size() { # bytes -> "12.3 MB"
    awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'
}

# ------------------------------------------------------------- arguments ---

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

# ----------------------------------------------------------------- cache ---

CACHE=${SEL4SIM_CACHE:-$REPO_ROOT/.cache}
[[ "$CACHE" == /* ]] || CACHE="$PWD/$CACHE"
mkdir -p "$CACHE" || die "cannot create the cache directory $CACHE" \
    "set SEL4SIM_CACHE to a writable directory"
CACHE=$(cd "$CACHE" && pwd -P)

GDIR="$CACHE/guests/$ARCH"
MANIFEST="$GDIR/MANIFEST"
APTDIR="$CACHE/apt-$ARCH"
DEBS="$CACHE/debs"
LOCK="$CACHE/.guests.lock"

# The images every complete cache has, in MANIFEST (and --print) order; the
# module tree's row (lib/modules/<release>/) follows them.
readonly -a PACKAGE_FILES=(Image Image-generic u-boot.bin busybox Image.config)
readonly INITRAMFS=initramfs.cpio.gz
readonly DISK=disk.ext2

# MANIFEST rows, by file: package, version, sha256, detail.
declare -A R_PKG=() R_VER=() R_SHA=() R_DETAIL=()
MODULES_ROW=''

read_manifest() {
    R_PKG=() R_VER=() R_SHA=() R_DETAIL=()
    MODULES_ROW=''
    [[ -f "$MANIFEST" ]] || return 1
    local file pkg ver sha detail
    while read -r file pkg ver sha detail; do
        [[ -n "$file" && "$file" != \#* ]] || continue
        [[ -n "$sha" ]] || return 1
        R_PKG[$file]=$pkg R_VER[$file]=$ver R_SHA[$file]=$sha R_DETAIL[$file]=$detail
        if [[ "$file" == lib/modules/*/ ]]; then MODULES_ROW=$file; fi
    done <"$MANIFEST"
}

# Rows in their order: the fixed images, the module tree, the initramfs.
manifest_files() {
    printf '%s\n' "${PACKAGE_FILES[@]}"
    [[ -z "$MODULES_ROW" ]] || printf '%s\n' "$MODULES_ROW"
    [[ -z "${R_PKG[$INITRAMFS]:-}" ]] || printf '%s\n' "$INITRAMFS"
    [[ -z "${R_PKG[$DISK]:-}" ]] || printf '%s\n' "$DISK"
}

write_manifest() {
    local file
    {
        printf '# sel4sim AArch64 guest images, written by scripts/fetch-guests.sh; re-run it instead of editing.\n'
        printf '# Debian %s (%s, %s-updates, %s-security), architecture %s.\n' "$SUITE" "$SUITE" "$SUITE" "$SUITE" "$ARCH"
        printf '# file package version sha256 detail  (a tree: sha256 of its sorted "type path size" listing)\n'
        while IFS= read -r file; do
            printf '%-34s %-42s %-24s %s %s\n' "$file" "${R_PKG[$file]}" "${R_VER[$file]}" \
                "${R_SHA[$file]}" "${R_DETAIL[$file]}"
        done < <(manifest_files)
    } >"$TMP/MANIFEST"
    mv -f "$TMP/MANIFEST" "$MANIFEST"
}

# Every package-made image is listed and matches its digest, and MANIFEST
# lists nothing else (an image this script no longer makes).
packages_ok() {
    local file
    [[ -n "$MODULES_ROW" ]] || return 1
    local rows=$((${#PACKAGE_FILES[@]} + 1))
    [[ -z "${R_SHA[$INITRAMFS]:-}" ]] || rows=$((rows + 1))
    [[ -z "${R_SHA[$DISK]:-}" ]] || rows=$((rows + 1))
    ((${#R_SHA[@]} == rows)) || return 1
    for file in "${PACKAGE_FILES[@]}" "$MODULES_ROW"; do
        [[ -n "${R_SHA[$file]:-}" && "$(digest_of "$file")" == "${R_SHA[$file]}" ]] || return 1
    done
}

# The initramfs is listed, matches its digest, and was built by the current
# recipe from the current busybox.
initramfs_ok() {
    [[ -n "${R_SHA[$INITRAMFS]:-}" && "${R_DETAIL[$INITRAMFS]}" == "recipe=$(initramfs_recipe)" ]] || return 1
    [[ "$(digest_of "$INITRAMFS")" == "${R_SHA[$INITRAMFS]}" ]]
}

print_result() {
    if ((PRINT)); then
        local file
        while IFS= read -r file; do
            printf '%s\n' "$GDIR/${file%/}"
        done < <(manifest_files)
    else
        printf '%s\n' "$GDIR"
    fi
}

# -------------------------------------------------------------- initramfs ---

# /init: run by the kernel as `/bin/busybox sh /init`, with no PATH.
init_script() {
    cat <<EOF
#!/bin/busybox sh
# /init of sel4sim's AArch64 test initramfs (made by scripts/fetch-guests.sh).
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
ok=1
mount -t proc proc /proc || { ok=0; echo "SEL4SIM-INIT-FAIL: mount proc"; }
mount -t sysfs sysfs /sys || { ok=0; echo "SEL4SIM-INIT-FAIL: mount sysfs"; }
mount -t devtmpfs devtmpfs /dev || { ok=0; echo "SEL4SIM-INIT-FAIL: mount devtmpfs"; }
# The virtio drivers are modules in the cloud kernel: load them, dependencies first.
for m in $INIT_MODULES; do
    insmod /lib/modules/\$m.ko || { ok=0; echo "SEL4SIM-INIT-FAIL: insmod \$m"; }
done
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
# A session of its own, with the console's real tty (ttyAMA0, hvc0, ...) as
# its controlling terminal: /dev/console cannot be one, so no job control.
exec setsid cttyhack sh
EOF
}

# The archive's entries (see newc_archive in scripts/lib/newc.sh).  The
# directories are where `busybox --install -s` puts its links; the modules
# are the staged ones, ARCHIVE_MODULES.
initramfs_entries() {
    local m
    for m in $ARCHIVE_MODULES; do
        printf 'mod lib/modules/%s.ko 644 %s.ko\n' "$m" "$m"
    done
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
dir lib 755
dir lib/modules 755
dir mnt 755
dir tmp 1777
dir usr 755
dir usr/bin 755
dir usr/sbin 755
EOF
}


# What the initramfs is made from: the builder functions' text and the
# busybox binary.  A change of either makes MANIFEST's recipe differ.
initramfs_recipe() {
    local bb
    bb=$(sha256_of "$GDIR/busybox" 2>/dev/null) || bb=none
    { declare -f init_script initramfs_entries newc_pad newc_entry newc_archive \
          kmod_name_of kmod_cat kmod_modinfo kmod_visit kmod_closure kmod_names kmod_stage
      printf '%s\n' "$MARKER" "$bb" "$INIT_MODULE_ROOTS" "$SPARE_MODULE_ROOTS" "${R_SHA[$MODULES_ROW]:-none}"; } |
        sha256sum | cut -c1-16
}

build_initramfs() {
    local tree="$GDIR/${MODULES_ROW%/}"
    # shellcheck disable=SC2086 # lists of names
    kmod_closure "$tree" $INIT_MODULE_ROOTS
    INIT_MODULES=$(kmod_names)
    # shellcheck disable=SC2086
    kmod_closure "$tree" $INIT_MODULE_ROOTS $SPARE_MODULE_ROOTS
    ARCHIVE_MODULES=$(kmod_names)
    kmod_stage "$tree" "$TMP/modules"
    say "building $INITRAMFS (busybox ${R_VER[busybox]}, /init, modules $INIT_MODULES; $SPARE_MODULE_ROOTS unloaded)"
    init_script >"$TMP/init"
    newc_archive "$TMP/initramfs.cpio" "$GDIR/busybox" "$TMP/init" "$TMP/modules"
    gzip -n -9 -c "$TMP/initramfs.cpio" >"$TMP/$INITRAMFS" || die "gzip of the initramfs failed"
    mv -f "$TMP/$INITRAMFS" "$GDIR/$INITRAMFS"
    R_PKG[$INITRAMFS]="$BUSYBOX_PKG+init"
    R_VER[$INITRAMFS]=${R_VER[busybox]}
    R_SHA[$INITRAMFS]=$(sha256_of "$GDIR/$INITRAMFS")
    R_DETAIL[$INITRAMFS]="recipe=$(initramfs_recipe)"
}

# ------------------------------------------------------------------ disk ---

disk_ok() {
    [[ -n "${R_SHA[$DISK]:-}" && "${R_DETAIL[$DISK]}" == "recipe=$(disk_recipe)" ]] || return 1
    [[ "$(digest_of "$DISK")" == "${R_SHA[$DISK]}" ]]
}

build_disk() {
    say "building $DISK ($DISK_SIZE ext2 with /hello.txt, e2fsprogs $(mke2fs_version))"
    make_disk "$TMP/$DISK" "$TMP"
    mv -f "$TMP/$DISK" "$GDIR/$DISK"
    R_PKG[$DISK]=e2fsprogs+hello
    R_VER[$DISK]=$(mke2fs_version)
    R_SHA[$DISK]=$(sha256_of "$GDIR/$DISK")
    R_DETAIL[$DISK]="recipe=$(disk_recipe)"
}

# -------------------------------------------------------------- packages ---

# Package file names in debs/: <package>_<version, ':' as %3a>_<arch>.deb,
# as apt-get download names them.
deb_name() { # PACKAGE VERSION ARCH
    printf '%s_%s_%s.deb\n' "$1" "${2//:/%3a}" "$3"
}

# The .deb in debs/ of PACKAGE at VERSION, whatever its architecture.
deb_in_cache() { # PACKAGE VERSION
    local f
    for f in "$DEBS/${1}_${2//:/%3a}_"*.deb; do
        [[ -f "$f" ]] && { printf '%s\n' "$f"; return 0; }
    done
    return 1
}

need_tools() { # TOOL...
    local t missing=()
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 || missing+=("$t")
    done
    ((${#missing[@]} == 0)) ||
        die "${missing[*]} missing: the guest images come from Debian packages, fetched with apt-get and unpacked with dpkg" \
            "run this on Debian or a derivative (apt-get install apt dpkg), or copy a filled $GDIR from another machine"
}

need_keyring() {
    [[ -r "$DEBIAN_KEYRING" ]] ||
        die "the Debian archive keyring $DEBIAN_KEYRING is missing" \
            "install it (apt-get install debian-archive-keyring) or set SEL4SIM_DEBIAN_KEYRING"
}

# The newest package whose name matches an extended regex (sort -V on the
# names orders the ABI numbers 6.1.0-9 < 6.1.0-28).
newest_package() { # REGEX WHAT
    local conf="$APTDIR/apt.conf" name
    name=$(apt-cache -c "$conf" pkgnames linux-image-6.1.0- 2>/dev/null | grep -E "$1" | sort -V | tail -n 1) || true
    if [[ -z "$name" ]]; then
        local -a seen=()
        mapfile -t seen < <(apt-cache -c "$conf" pkgnames linux-image-6.1.0- 2>/dev/null | sort -V | tail -n 8)
        ((${#seen[@]})) || seen=("(none)")
        die "Debian $SUITE ($ARCH) has no $2 package matching $1; the last linux-image-6.1.0-* ones:" "${seen[@]}" \
            "check SEL4SIM_DEBIAN_MIRROR / SEL4SIM_DEBIAN_SECURITY_MIRROR, or update this script's pattern"
    fi
    printf '%s\n' "$name"
}

# Candidate version and download size of a package, as "VERSION SIZE".
candidate_of() { # PACKAGE
    local out version size
    out=$(apt-cache -c "$APTDIR/apt.conf" show --no-all-versions "$1" 2>/dev/null) || true
    version=$(sed -n 's/^Version: //p' <<<"$out" | head -n 1)
    size=$(sed -n 's/^Size: //p' <<<"$out" | head -n 1)
    [[ -n "$version" ]] || die "Debian $SUITE ($ARCH) has no package $1" \
        "check SEL4SIM_DEBIAN_MIRROR (a mirror of the Debian archive is needed)"
    printf '%s %s\n' "$version" "${size:-0}"
}

# Sets DEB[role] for the roles cloud, generic, uboot, busybox.
declare -A DEB=()

# Without the network: the packages MANIFEST names, if debs/ still has them.
debs_from_cache() {
    local role file f
    for role in cloud:Image generic:Image-generic uboot:u-boot.bin busybox:busybox; do
        file=${role#*:}
        [[ -n "${R_PKG[$file]:-}" && -n "${R_VER[$file]:-}" ]] || return 1
        f=$(deb_in_cache "${R_PKG[$file]}" "${R_VER[$file]}") || return 1
        DEB[${role%%:*}]=$f
    done
}

debs_from_network() {
    need_tools apt-get apt-cache dpkg dpkg-deb
    need_keyring
    local mirror security conf="$APTDIR/apt.conf" opts
    mirror=$(detect_debian_mirror main)
    security=$(detect_debian_mirror security)
    opts="[signed-by=$DEBIAN_KEYRING target=Packages]"
    write_private_apt "$APTDIR" "$ARCH" scripts/fetch-guests.sh \
        "deb $opts $mirror $SUITE main" \
        "deb $opts $mirror $SUITE-updates main" \
        "deb $opts $security $SUITE-security main"
    say "fetching the package lists of Debian $SUITE ($ARCH) from $mirror and $security (private apt state in $APTDIR)"
    if ! apt-get -c "$conf" update >&2; then
        die "apt-get update of Debian $SUITE, $SUITE-updates, $SUITE-security ($ARCH) failed (see above)" \
            "set SEL4SIM_DEBIAN_MIRROR / SEL4SIM_DEBIAN_SECURITY_MIRROR to reachable Debian mirrors, then run this again"
    fi

    local -A pkg=() ver=()
    pkg[cloud]=$(newest_package "$CLOUD_RE" "cloud kernel")
    pkg[generic]=$(newest_package "$GENERIC_RE" "generic kernel")
    pkg[uboot]=$UBOOT_PKG
    pkg[busybox]=$BUSYBOX_PKG
    local role total=0 v size cand
    local -a specs=()
    for role in cloud generic uboot busybox; do
        cand=$(candidate_of "${pkg[$role]}")
        read -r v size <<<"$cand"
        ver[$role]=$v
        total=$((total + size))
        specs+=("${pkg[$role]}=$v")
        say "  ${pkg[$role]} $v ($(human_size "$size"))"
    done

    say "downloading ${#specs[@]} packages ($(human_size "$total")) into $DEBS"
    rm -rf "$TMP/dl" && mkdir -p "$TMP/dl" "$DEBS"
    if ! (cd "$TMP/dl" && apt-get -c "$conf" download "${specs[@]}" >&2); then
        die "apt-get download ${specs[*]} failed (see above)" \
            "a network or mirror problem: check the mirror (SEL4SIM_DEBIAN_MIRROR), then run this again"
    fi
    local f p a name
    for role in cloud generic uboot busybox; do
        f=$(find "$TMP/dl" -maxdepth 1 -name "${pkg[$role]}_*.deb" | head -n 1)
        [[ -n "$f" ]] || die "apt-get download left no .deb of ${pkg[$role]}"
        p=$(dpkg-deb -f "$f" Package) && v=$(dpkg-deb -f "$f" Version) && a=$(dpkg-deb -f "$f" Architecture) ||
            die "$f is not a readable Debian package"
        [[ "$p" == "${pkg[$role]}" && "$v" == "${ver[$role]}" ]] ||
            die "$f holds $p $v, not ${pkg[$role]} ${ver[$role]}"
        name=$(deb_name "$p" "$v" "$a")
        mv -f "$f" "$DEBS/$name"
        DEB[$role]="$DEBS/$name"
    done
    # Older guest packages are no use any more (the kernels are big).
    local keep
    # (debs/ is shared with scripts/fetch-guests-x86.sh: only this architecture's busybox.)
    for f in "$DEBS"/linux-image-6.1.0-*-arm64-unsigned_*.deb "$DEBS/${UBOOT_PKG}"_*.deb \
        "$DEBS/${BUSYBOX_PKG}"_*_"$ARCH".deb; do
        [[ -f "$f" ]] || continue
        keep=0
        for role in cloud generic uboot busybox; do
            [[ "$f" == "${DEB[$role]}" ]] && keep=1
        done
        ((keep)) || rm -f -- "$f"
    done
    # The lists are big and only needed for this fetch.
    find "$APTDIR/state/lists" -maxdepth 1 -type f -delete
}

# Copies a vmlinuz to DEST as a raw arm64 Image: decompressed if it is
# gzip-compressed, and checked for the boot header's magic.
raw_image() { # VMLINUZ DEST WHAT
    if [[ "$(hex_at "$1" 0 2)" == 1f8b ]]; then
        gzip -dc -- "$1" >"$2" || die "$3: $1 is gzip-compressed and does not decompress"
    else
        cp -- "$1" "$2"
    fi
    # Linux's arm64 boot protocol: magic 0x644d5241 ("ARM\x64") at byte 56.
    [[ "$(hex_at "$2" 56 4)" == 41524d64 ]] ||
        die "$3: $1 is not an arm64 Linux Image (no \"ARM\\x64\" at offset 56; the first bytes are $(hex_at "$2" 0 16))" \
            "the package layout may have changed; report it with the package version"
}

# Unpacks one package into $TMP/x-ROLE; prints that directory.
unpack() { # ROLE
    local dir="$TMP/x-$1"
    rm -rf "$dir"
    dpkg -x "${DEB[$1]}" "$dir" >&2 ||
        die "dpkg -x ${DEB[$1]} failed" "delete it and run this again with --force"
    printf '%s\n' "$dir"
}

deb_field() { dpkg-deb -f "${DEB[$1]}" "$2"; }

# The one boot/vmlinuz-* of an unpacked kernel package.
vmlinuz_in() { # DIR PACKAGE
    local -a found=()
    mapfile -t found < <(find "$1/boot" -maxdepth 1 -name 'vmlinuz-*' 2>/dev/null)
    ((${#found[@]} == 1)) || die "$2 holds ${#found[@]} boot/vmlinuz-* files, expected one"
    printf '%s\n' "${found[0]}"
}

# Unpacks the packages into $TMP/new (the images and MANIFEST rows), then
# moves them into the guest directory.
install_packages() {
    local new="$TMP/new" dir vmlinuz kver pkg ver moddir
    need_tools dpkg dpkg-deb
    rm -rf "$new" && mkdir -p "$new"
    R_PKG=() R_VER=() R_SHA=() R_DETAIL=()

    pkg=$(deb_field cloud Package) ver=$(deb_field cloud Version)
    say "unpacking $pkg $ver"
    dir=$(unpack cloud)
    vmlinuz=$(vmlinuz_in "$dir" "$pkg")
    kver=${vmlinuz##*/vmlinuz-}
    raw_image "$vmlinuz" "$new/Image" "$pkg"
    cp -- "$dir/boot/config-$kver" "$new/Image.config" || die "$pkg has no boot/config-$kver"
    # (Its boot/System.map is a placeholder: the real one is in the -dbg package.)
    moddir=''
    for moddir in "$dir/lib/modules/$kver" "$dir/usr/lib/modules/$kver" ''; do
        [[ -z "$moddir" || -d "$moddir" ]] && break
    done
    [[ -n "$moddir" ]] || die "$pkg has no lib/modules/$kver"
    mkdir -p "$new/lib/modules"
    mv -- "$moddir" "$new/lib/modules/$kver"
    MODULES_ROW="lib/modules/$kver/"
    local file
    for file in Image Image.config "$MODULES_ROW"; do
        R_PKG[$file]=$pkg R_VER[$file]=$ver R_DETAIL[$file]="release=$kver"
    done
    R_DETAIL[Image]="release=$kver from=boot/vmlinuz-$kver"
    rm -rf "$dir"

    pkg=$(deb_field generic Package) ver=$(deb_field generic Version)
    say "unpacking $pkg $ver"
    dir=$(unpack generic)
    vmlinuz=$(vmlinuz_in "$dir" "$pkg")
    kver=${vmlinuz##*/vmlinuz-}
    raw_image "$vmlinuz" "$new/Image-generic" "$pkg"
    R_PKG[Image-generic]=$pkg R_VER[Image-generic]=$ver
    R_DETAIL[Image-generic]="release=$kver from=boot/vmlinuz-$kver"
    rm -rf "$dir"

    pkg=$(deb_field uboot Package) ver=$(deb_field uboot Version)
    say "unpacking $pkg $ver"
    dir=$(unpack uboot)
    [[ -f "$dir/$UBOOT_PATH" ]] || die "$pkg $ver has no $UBOOT_PATH" \
        "the package layout may have changed; report it with the package version"
    cp -- "$dir/$UBOOT_PATH" "$new/u-boot.bin"
    local size
    size=$(stat -c %s "$new/u-boot.bin")
    ((size >= 65536 && size <= 16777216)) || die "$pkg $ver: $UBOOT_PATH is $size bytes, not a plausible U-Boot"
    grep -aq 'U-Boot ' "$new/u-boot.bin" || die "$pkg $ver: $UBOOT_PATH does not name itself U-Boot"
    R_PKG[u-boot.bin]=$pkg R_VER[u-boot.bin]=$ver R_DETAIL[u-boot.bin]="from=$UBOOT_PATH"
    rm -rf "$dir"

    pkg=$(deb_field busybox Package) ver=$(deb_field busybox Version)
    say "unpacking $pkg $ver"
    dir=$(unpack busybox)
    local bb=''
    for bb in bin/busybox usr/bin/busybox ''; do
        [[ -z "$bb" || -f "$dir/$bb" ]] && break
    done
    [[ -n "$bb" ]] || die "$pkg $ver has no bin/busybox"
    cp -- "$dir/$bb" "$new/busybox"
    chmod 755 "$new/busybox"
    # ELF, 64-bit, little-endian, e_machine 183 (EM_AARCH64).
    [[ "$(hex_at "$new/busybox" 0 6)" == 7f454c460201 && "$(hex_at "$new/busybox" 18 2)" == b700 ]] ||
        die "$pkg $ver: $bb is not a little-endian AArch64 ELF binary"
    R_PKG[busybox]=$pkg R_VER[busybox]=$ver R_DETAIL[busybox]="from=$bb"
    rm -rf "$dir"

    # Into place, in a cleared directory (it holds only what this script
    # made).  MANIFEST goes first, so an interrupted run is redone.
    rm -f "$MANIFEST"
    mkdir -p "$GDIR"
    find "$GDIR" -mindepth 1 -maxdepth 1 -exec rm -rf -- {} +
    for file in "${PACKAGE_FILES[@]}"; do
        mv -f "$new/$file" "$GDIR/$file"
    done
    rm -rf "$GDIR/lib"
    mv "$new/lib" "$GDIR/lib"
    for file in "${PACKAGE_FILES[@]}" "$MODULES_ROW"; do
        R_SHA[$file]=$(digest_of "$file")
    done
}

# ------------------------------------------------------------------ main ---

# Fast path, without the lock: everything is in place.
if ((!FORCE)) && read_manifest && packages_ok && initramfs_ok && disk_ok; then
    print_result
    exit 0
fi

mkdir -p "$GDIR" || die "cannot create $GDIR"
if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCK"
    if ! flock -n 9; then
        say "another fetch-guests is running on $CACHE; waiting for it"
        flock 9
        if ((!FORCE)) && read_manifest && packages_ok && initramfs_ok && disk_ok; then
            print_result
            exit 0
        fi
    fi
fi

TMP=$(mktemp -d "$CACHE/.tmp-guests.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

if ((FORCE)) || ! read_manifest || ! packages_ok; then
    if ((!FORCE)) && read_manifest && debs_from_cache; then
        say "unpacking the guest packages again from $DEBS (no network needed)"
    else
        if ((FORCE)); then
            say "--force: fetching the guest packages again"
        elif [[ -f "$MANIFEST" ]]; then
            say "the guest images in $GDIR are incomplete or changed; fetching them again"
        else
            say "no guest images in $GDIR yet; fetching them"
        fi
        debs_from_network
    fi
    install_packages
fi
if ((FORCE)) || ! initramfs_ok; then
    build_initramfs
fi
if ((FORCE)) || ! disk_ok; then
    build_disk
fi
write_manifest

# Whatever happened above, the result must now verify.
read_manifest && packages_ok && initramfs_ok && disk_ok || die "the guest images in $GDIR do not match MANIFEST after the update"
say "guest images ready in $GDIR"
print_result
