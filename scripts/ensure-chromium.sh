#!/usr/bin/env bash
# Make sure Debian's Chromium is there for the browser tests (tests/browser/).
# As root it installs the `chromium` package when missing; otherwise it says, loudly, that the
# browser tests will be skipped. On CI (CI=true) a missing Chromium is an error, not a skip.
set -euo pipefail

chromium=${CIAPP_CHROMIUM:-/usr/bin/chromium}
here=$(cd "$(dirname "$0")" && pwd)

if [ ! -x "$chromium" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "chromium: $chromium is missing; installing Debian's chromium package"
    "$here/apt-install.sh" chromium
fi

if [ -x "$chromium" ]; then
    echo "chromium: $("$chromium" --version 2>/dev/null || echo "$chromium")"
    exit 0
fi

msg="$chromium is missing and cannot be installed here (needs root and apt-get)"
if [ "${CI:-}" = true ]; then
    echo "chromium: ERROR: $msg; CI must run the browser tests." >&2
    exit 1
fi
echo "chromium: WARNING: $msg." >&2
echo "chromium: the browser tests (tests/browser/) will be SKIPPED." >&2
echo "chromium: install it with 'sudo apt-get install chromium', or set CIAPP_CHROMIUM." >&2
