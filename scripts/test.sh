#!/usr/bin/env bash
# Runs every test of sel4sim (unit, TestKit and system tests), setting up what is missing first.
# This is the README's test command; .ci/run calls exactly this.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
"$root/scripts/setup.sh"
eval "$("$root/scripts/setup.sh" --print-env)"
cd "$root"
exec mvn -B verify "$@"
