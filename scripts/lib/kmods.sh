# shellcheck shell=bash
# Kernel modules for a guest initramfs, taken from an unpacked Debian kernel package: the complete
# list a set of modules needs, in an order insmod can load them, and the files themselves as insmod
# takes them. Sourced by the guest-image scripts, which define die.
#
# Debian's linux-image packages ship no modules.dep (depmod writes it when the package is
# installed), so the dependencies come from where depmod itself reads them: each module's .modinfo
# "depends=" entry. Soft dependencies ("softdep=pre: crypto-crc32c") name aliases, which only
# modprobe resolves: a script that wants one lists its module among the roots itself.
#
# Functions:
#   kmod_closure TREE NAME...
#       TREE is lib/modules/<release> of the package.  Sets KMODS to "NAME PATH" items, PATH
#       relative to TREE: the named modules and all they depend on, each after its dependencies,
#       each once, the roots' order kept where the dependencies allow.  Dies if a module is
#       missing (built in, or not built at all: the kernel's config tells which).
#   kmod_names
#       the names of KMODS, space-separated, in load order
#   kmod_stage TREE DIR
#       writes each module of KMODS to DIR/NAME.ko, uncompressed: busybox insmod reads the
#       file as it is, and the kernel unpacks a .ko.xz only with CONFIG_MODULE_DECOMPRESS

KMODS=()
declare -A KMOD_PATH=() KMOD_DONE=() KMOD_BUSY=()
KMOD_TREE=''

# A module's name from its file name: without the extensions, '-' read as '_' (as the kernel does).
kmod_name_of() { # FILE
    local n=${1##*/}
    n=${n%%.ko*}
    printf '%s\n' "${n//-/_}"
}

# A module's bytes, uncompressed.
kmod_cat() { # FILE
    case "$1" in
        *.ko) cat -- "$1" ;;
        *.ko.xz) xz -dc -- "$1" ;;
        *.ko.zst) zstd -qdc -- "$1" ;;
        *.ko.gz) gzip -dc -- "$1" ;;
        *) return 1 ;;
    esac
}

# A module's .modinfo entry KEY (the first one): its strings are NUL-terminated "key=value".
kmod_modinfo() { # FILE KEY
    local out
    out=$(kmod_cat "$1" | tr '\0' '\n' | sed -n "s/^$2=//p") || return 1
    printf '%s\n' "${out%%$'\n'*}"
}

kmod_visit() { # NAME
    local name=${1//-/_} rel deps dep
    [[ -z "${KMOD_DONE[$name]:-}" ]] || return 0
    [[ -z "${KMOD_BUSY[$name]:-}" ]] || die "kernel modules that depend on each other in a circle, at $name"
    rel=${KMOD_PATH[$name]:-}
    [[ -n "$rel" ]] || die "the kernel package has no module $name under $KMOD_TREE" \
        "it may be built in (=y in the kernel's config) or not built: fix the module list of the script"
    KMOD_BUSY[$name]=1
    deps=$(kmod_modinfo "$KMOD_TREE/$rel" depends) || die "cannot read the .modinfo of $KMOD_TREE/$rel"
    for dep in ${deps//,/ }; do
        kmod_visit "$dep"
    done
    KMOD_DONE[$name]=1
    KMODS+=("$name $rel")
}

kmod_closure() { # TREE NAME...
    KMOD_TREE=$1
    shift
    KMODS=() KMOD_PATH=() KMOD_DONE=() KMOD_BUSY=()
    [[ -d "$KMOD_TREE/kernel" ]] || die "no kernel/ module tree in $KMOD_TREE"
    local rel
    while IFS= read -r rel; do
        KMOD_PATH[$(kmod_name_of "$rel")]=$rel
    done < <(cd "$KMOD_TREE" && find kernel -type f \( -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' \
        -o -name '*.ko.gz' \) | sort)
    local name
    for name in "$@"; do
        kmod_visit "$name"
    done
}

kmod_names() {
    local item out=''
    for item in "${KMODS[@]}"; do
        out+=" ${item%% *}"
    done
    printf '%s\n' "${out# }"
}

kmod_stage() { # TREE DIR
    local item name rel
    mkdir -p "$2"
    for item in "${KMODS[@]}"; do
        name=${item%% *} rel=${item#* }
        kmod_cat "$1/$rel" >"$2/$name.ko" || die "cannot unpack the module $1/$rel"
    done
}
