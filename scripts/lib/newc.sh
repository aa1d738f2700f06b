# shellcheck shell=bash
# The newc (SVR4 "new ASCII") cpio format the Linux kernel unpacks as an initramfs, written in bash
# so that no cpio program is needed. Sourced by the guest-image scripts; they open fd 3 on the archive.

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
