# shellcheck shell=bash
# disk.ext2, the guests' virtio-blk test disk: 4 MiB of ext2 holding /hello.txt, made by mke2fs -d
# so that two builds with the same e2fsprogs are byte-identical on any machine. Sourced by the
# guest-image scripts, which define die.
#
# Functions:
#   make_disk OUT WORK   builds the image at OUT, using the scratch directory WORK
#   disk_recipe          digest of what decides the image's bytes (for MANIFEST)
#   mke2fs_version       the version of the mke2fs used

# Everything that decides the disk's bytes is fixed here: UUID, hash seed,
# time, owner, and the file system's parameters (our own mke2fs.conf, so the
# machine's /etc/mke2fs.conf plays no part).
readonly DISK_UUID=5e14510f-0000-4000-8000-000000000001
readonly DISK_HASH_SEED=5e14510f-0000-4000-8000-000000000002
readonly DISK_EPOCH=1700000000
readonly DISK_SIZE=4M

disk_mke2fs_conf() {
    cat <<'EOF'
[defaults]
	base_features = sparse_super,large_file,filetype,resize_inode,dir_index,ext_attr
	blocksize = 1024
	inode_size = 256
	inode_ratio = 16384
[fs_types]
	ext2 = {
		inode_ratio = 16384
	}
	small = {
		inode_ratio = 16384
	}
EOF
}

# The files of the disk, into directory $1.
disk_content() { # DIR
    printf 'hello from a sel4sim virtio-blk disk\n' >"$1/hello.txt"
}

# An e2fsprogs program: on PATH, or in the sbin directories a user's PATH
# may lack.
e2fs_tool() { # NAME
    local d
    for d in $(command -v "$1" 2>/dev/null) /usr/sbin/"$1" /sbin/"$1"; do
        [[ -x "$d" ]] && { printf '%s\n' "$d"; return 0; }
    done
    die "$1 is missing: the virtio-blk test disk is made with e2fsprogs" \
        "install it (apt-get install e2fsprogs; Debian has it everywhere)"
}

mke2fs_version() {
    local v
    v=$("$(e2fs_tool mke2fs)" -V 2>&1 | head -n 1) || true
    v=${v#mke2fs }
    printf '%s\n' "${v%% *}"
}

disk_recipe() {
    { declare -f disk_mke2fs_conf disk_content make_disk
      printf '%s\n' "$DISK_UUID" "$DISK_HASH_SEED" "$DISK_EPOCH" "$DISK_SIZE" "$(mke2fs_version)"; } |
        sha256sum | cut -c1-16
}

make_disk() { # OUT WORK
    local out=$1 root="$2/disk-root" mke2fs debugfs f
    mke2fs=$(e2fs_tool mke2fs)
    debugfs=$(e2fs_tool debugfs)
    rm -rf "$root" && mkdir -p "$root"
    disk_content "$root"
    chmod 755 "$root" && chmod 644 "$root"/*
    touch -d "@$DISK_EPOCH" "$root"/* "$root"
    disk_mke2fs_conf >"$2/mke2fs.conf"
    rm -f "$out"
    MKE2FS_CONFIG="$2/mke2fs.conf" E2FSPROGS_FAKE_TIME=$DISK_EPOCH SOURCE_DATE_EPOCH=$DISK_EPOCH \
        "$mke2fs" -q -F -t ext2 -L sel4sim-disk -U "$DISK_UUID" \
        -E "hash_seed=$DISK_HASH_SEED,root_owner=0:0" -d "$root" "$out" "$DISK_SIZE" >/dev/null ||
        die "mke2fs of ${out##*/} failed (see above)"
    # mke2fs -d copies each file's ctime, which no one can set on the host: set it in the image.
    for f in "$root"/*; do
        E2FSPROGS_FAKE_TIME=$DISK_EPOCH "$debugfs" -w -R "sif /${f##*/} ctime @$DISK_EPOCH" "$out" >/dev/null 2>&1 ||
            die "debugfs could not set the ctime of /${f##*/} in ${out##*/}"
    done
}
