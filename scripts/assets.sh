#!/usr/bin/env bash
# Installs the pinned front-end assets (package-lock.json) and copies the files the templates use
# into powercis/static/vendor. Idempotent: skips the work when the copies match the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=powercis/static/vendor
stamp="$dest/.lock-sha"
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error 2>&1 | grep -v nodedir || true
test -f node_modules/echarts/dist/echarts.min.js || { echo "npm ci failed: front-end assets missing" >&2; exit 1; }
mkdir -p "$dest"
cp node_modules/bootstrap/dist/css/bootstrap.min.css "$dest/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js "$dest/"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/"
cp node_modules/echarts/dist/echarts.min.js "$dest/"
echo "$want" > "$stamp"
