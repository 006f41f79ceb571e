#!/usr/bin/env bash
# Install Debian packages by name, as root. `apt-get update` runs once per session: a caller
# that already ran it (.ci/run) exports CIAPP_APT_UPDATED=1.
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
    echo "apt-install: installing $* needs root" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ -z "${CIAPP_APT_UPDATED:-}" ]; then
    apt-get update -qq
fi
apt-get install -y -qq "$@" >/dev/null
echo "apt-install: installed $*"
