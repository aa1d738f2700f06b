# scripts/lib/private-apt.sh: a private apt configuration inside sel4sim's
# cache, shared by scripts/setup.sh (host libraries) and
# scripts/fetch-guests.sh (AArch64 guest images).  Sourced, never run.
#
# apt-get and apt-cache, given `-c DIR/apt.conf`, then keep their sources,
# package lists, state and downloads in DIR, never in /etc/apt or
# /var/lib/apt, and need no root: the machine's packages stay as they are.
# Only `apt-get update`, `apt-cache` queries and `apt-get download` are meant
# to be used with it; the .deb files are unpacked with `dpkg -x`.
#
# Functions:
#   detect_debian_mirror main|security
#       the Debian mirror URI to use (see below)
#   write_private_apt DIR ARCH OWNER SOURCE_LINE...
#       writes DIR/apt.conf and DIR/sources.list (the given one-line
#       sources), creates DIR's state and cache directories and empties its
#       dpkg status; idempotent

# The Debian mirror the machine's apt uses.
#   main:     SEL4SIM_DEBIAN_MIRROR if set, else the first enabled "deb"
#             source whose suites include the release's own codename (or a
#             suite name of the main archive), not a security one; else
#             http://deb.debian.org/debian
#   security: SEL4SIM_DEBIAN_SECURITY_MIRROR if set, else the first enabled
#             "deb" source with a security suite; else
#             http://deb.debian.org/debian-security
# deb822 (*.sources) and one-line (sources.list, *.list) formats.
detect_debian_mirror() {
    local kind=${1:-main}
    if [[ "$kind" == main && -n "${SEL4SIM_DEBIAN_MIRROR:-}" ]]; then
        printf '%s\n' "$SEL4SIM_DEBIAN_MIRROR"
        return
    fi
    if [[ "$kind" == security && -n "${SEL4SIM_DEBIAN_SECURITY_MIRROR:-}" ]]; then
        printf '%s\n' "$SEL4SIM_DEBIAN_SECURITY_MIRROR"
        return
    fi
    local codename=''
    if [[ -r /etc/os-release ]]; then
        codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
    fi
    local good_suites=" ${codename:+$codename $codename-updates $codename-backports} stable oldstable testing unstable sid "

    suite_ok() {
        local s
        if [[ "$kind" == security ]]; then
            for s in "$@"; do
                [[ "$s" == *security* ]] && return 0
            done
            return 1
        fi
        for s in "$@"; do
            [[ "$s" == *security* ]] && return 1
        done
        for s in "$@"; do
            [[ "$good_suites" == *" ${s%/} "* ]] && return 0
        done
        return 1
    }

    local f line key='' value types='' uris='' suites='' enabled=''
    local -a words
    # A stanza is done: print its first URI if it is the archive wanted.
    stanza_end() {
        local hit=1
        if [[ " $types " == *" deb "* && "${enabled,,}" != *no* && -n "${uris// /}" ]]; then
            read -r -a words <<<"$suites" || true
            if suite_ok "${words[@]}"; then
                read -r -a words <<<"$uris" || true
                printf '%s\n' "${words[0]}"
                hit=0
            fi
        fi
        types='' uris='' suites='' enabled='' key=''
        return $hit
    }
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -r "$f" ]] || continue
        while IFS= read -r line || [[ -n "$line" ]]; do
            if [[ -z "${line//[[:space:]]/}" ]]; then
                stanza_end && return
                continue
            fi
            [[ "$line" == \#* ]] && continue
            if [[ "$line" == [[:space:]]* ]]; then
                value=$line # continuation of the previous field
            else
                key=${line%%:*}
                value=${line#*:}
            fi
            case "${key,,}" in
                types) types+=" $value" ;;
                uris) uris+=" $value" ;;
                suites) suites+=" $value" ;;
                enabled) enabled+=" $value" ;;
            esac
        done <"$f"
        stanza_end && return
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -r "$f" ]] || continue
        while IFS= read -r line; do
            line=${line%%#*}
            # drop [ options ]
            if [[ "$line" =~ ^([[:space:]]*deb)[[:space:]]+\[[^]]*\](.*)$ ]]; then
                line="${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
            fi
            read -r -a words <<<"$line" || true
            ((${#words[@]} >= 3)) || continue
            [[ "${words[0]}" == deb ]] || continue
            if suite_ok "${words[2]}"; then
                printf '%s\n' "${words[1]}"
                return
            fi
        done <"$f"
    done
    if [[ "$kind" == security ]]; then
        printf '%s\n' "http://deb.debian.org/debian-security"
    else
        printf '%s\n' "http://deb.debian.org/debian"
    fi
}

# Writes the private apt configuration in DIR for packages of ARCH; OWNER
# names the script in the file's header comment.
write_private_apt() { # DIR ARCH OWNER SOURCE_LINE...
    local dir=$1 arch=$2 owner=$3
    shift 3
    mkdir -p "$dir/sources.list.d" "$dir/preferences.d" \
        "$dir/state/lists/partial" "$dir/cache/archives/partial"
    : >"$dir/state/status.tmp" && mv -f "$dir/state/status.tmp" "$dir/state/status"
    [[ -e "$dir/preferences" ]] || : >"$dir/preferences"
    printf '%s\n' "$@" >"$dir/sources.list"
    cat >"$dir/apt.conf" <<EOF
// Private apt configuration of sel4sim's $owner.  Use it as
//   apt-get -c $dir/apt.conf ...
// It reads /etc/apt/apt.conf.d (proxies), but keeps its own sources, state
// and cache here and writes nothing outside this directory.
Dir::Etc::SourceList "$dir/sources.list";
Dir::Etc::SourceParts "$dir/sources.list.d";
Dir::Etc::Preferences "$dir/preferences";
Dir::Etc::PreferencesParts "$dir/preferences.d";
Dir::State "$dir/state";
Dir::State::Lists "$dir/state/lists";
Dir::State::status "$dir/state/status";
Dir::Cache "$dir/cache";
Dir::Cache::archives "$dir/cache/archives";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
// Not the system's lock files, and no switch to the _apt user (it could
// not write here); neither needs root then.
Debug::NoLocking "true";
APT::Sandbox::User "$(id -un)";
#clear APT::Architectures;
APT::Architecture "$arch";
APT::Architectures { "$arch"; };
Acquire::Languages "none";
// An index that cannot be fetched is an error, not a warning (apt >= 2.1).
APT::Update::Error-Mode "any";
// The machine's update hooks (PackageKit, AppStream) are about its own lists.
#clear APT::Update::Pre-Invoke;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
EOF
}
