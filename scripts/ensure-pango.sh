#!/usr/bin/env bash
# Make sure Pango is there for WeasyPrint, which makes the A3's PDF (ciapp/a3/pdf.py).
# As root it installs Debian's libpango-1.0-0 and libpangoft2-1.0-0 when missing; otherwise
# it says, loudly, that the PDF tests will be skipped. On CI (CI=true) a missing Pango is an
# error, not a skip. `--check` only answers (exit 0: present), installing nothing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
libs=(libpango-1.0.so.0 libpangoft2-1.0.so.0)
packages=(libpango-1.0-0 libpangoft2-1.0-0)

present() {
    local cache
    cache=$( { command -v ldconfig >/dev/null && ldconfig -p; } 2>/dev/null \
             || /sbin/ldconfig -p 2>/dev/null || true)
    for lib in "${libs[@]}"; do
        grep -q "$lib" <<<"$cache" || return 1
    done
}

if [ "${1:-}" = --check ]; then
    present
    exit
fi

if ! present && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "pango: missing; installing Debian's ${packages[*]}"
    "$here/apt-install.sh" "${packages[@]}"
fi

if present; then
    echo "pango: present (WeasyPrint can make the A3's PDF)"
    exit 0
fi

msg="Pango (${packages[*]}) is missing and cannot be installed here (needs root and apt-get)"
if [ "${CI:-}" = true ]; then
    echo "pango: ERROR: $msg; CI must test the A3's PDF." >&2
    exit 1
fi
echo "pango: WARNING: $msg." >&2
echo "pango: the A3 PDF tests will be SKIPPED, and the PDF download answers 503." >&2
echo "pango: install it with 'sudo apt-get install ${packages[*]}'." >&2
