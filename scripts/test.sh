#!/usr/bin/env bash
# Runs every test of sel4sim (unit, TestKit and system tests), setting up what is missing first.
# This is the README's test command; .ci/run calls exactly this.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
"$root/scripts/setup.sh"
# The system tests boot real guests: Debian's arm64 kernel, U-Boot, a busybox initramfs.
"$root/scripts/fetch-guests.sh" >/dev/null
# And the x86 guests: Debian's multiboot example kernel.
"$root/scripts/fetch-guests-x86.sh" >/dev/null
eval "$("$root/scripts/setup.sh" --print-env)"
# The guests are in place now: a test of a real guest that finds its image missing fails rather than skips.
export SEL4SIM_GUESTS_REQUIRED=1
cd "$root"
exec mvn -B verify "$@"
