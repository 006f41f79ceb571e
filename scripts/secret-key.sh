#!/usr/bin/env bash
# Print the app's secret key, generating instance/secret_key (mode 600) on first use, so
# sessions survive restarts of the quick-start server. The file is never committed
# (instance/ is in .gitignore). Production sets CIAPP_SECRET_KEY itself.
set -euo pipefail

cd "$(dirname "$0")/.."
file=instance/secret_key
if [ ! -s "$file" ]; then
    mkdir -p instance
    (umask 077 && python3 -c 'import secrets; print(secrets.token_hex(32))' > "$file.tmp")
    mv "$file.tmp" "$file"
fi
chmod 600 "$file"
cat "$file"
