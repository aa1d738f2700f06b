# shellcheck shell=bash
# The newc (SVR4 "new ASCII") cpio format the Linux kernel unpacks as an initramfs, written in bash
# so that no cpio program is needed. Sourced by the guest-image scripts, which define die and
# initramfs_entries; newc_archive writes a whole archive, newc_entry one entry on fd 3.

# Pads the archive on fd 3 with $1 NUL bytes.
newc_pad() {
    if (($1)); then head -c "$1" /dev/zero >&3; fi
}

# Appends one newc entry to the archive on fd 3: the 110-byte ASCII header
# (magic 070701, then 13 eight-digit hex fields), the NUL-terminated name
# padded to 4 bytes, the data padded to 4 bytes.
newc_entry() { # INO MODE NLINK RDEVMAJOR RDEVMINOR NAME [DATAFILE]
    local ino=$1 mode=$2 nlink=$3 rmajor=$4 rminor=$5 name=$6 data=${7:-} size=0 namesize
    if [[ -n "$data" ]]; then size=$(stat -L -c %s -- "$data"); fi
    namesize=$((${#name} + 1))
    # ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check
    printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\0' \
        "$ino" "$mode" 0 0 "$nlink" 0 "$size" 0 0 "$rmajor" "$rminor" "$namesize" 0 "$name" >&3
    newc_pad $(((4 - (110 + namesize) % 4) % 4))
    if [[ -n "$data" ]]; then
        cat -- "$data" >&3
        newc_pad $(((4 - size % 4) % 4))
    fi
}

# Writes the uncompressed archive to $1 from the caller's initramfs_entries, in
# byte order of their paths (mtime 0, uid/gid 0, sequential inode numbers: the
# same input gives the same bytes anywhere). Each entry is: type, path,
# permission bits (octal), then
#   dir                      nothing
#   file PATH PERM SOURCE    SOURCE busybox is the file $2, init the file $3
#   mod PATH PERM FILE       FILE, relative to the directory $4 (the staged modules)
#   chr PATH PERM MAJOR MINOR  a character device node, made without root
newc_archive() { # OUT BUSYBOX INIT MODULES
    local out=$1 type path perm a b ino=0 src
    exec 3>"$out"
    while read -r type path perm a b; do
        [[ "$path" =~ ^[A-Za-z0-9._/-]+$ ]] || die "initramfs entry with an unusual name: $path"
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
            mod)
                [[ -f "$4/$a" ]] || die "no module $a among the staged ones in $4"
                newc_entry "$ino" $((8#0100000 | 8#$perm)) 1 0 0 "$path" "$4/$a"
                ;;
            chr) newc_entry "$ino" $((8#020000 | 8#$perm)) 1 "$a" "$b" "$path" ;;
            *) die "initramfs entry $path: unknown type $type" ;;
        esac
    done < <(initramfs_entries | sort -k2,2)
    newc_entry 0 0 1 0 0 'TRAILER!!!'
    exec 3>&-
}
