#!/usr/bin/env bash
# Reproduces the dashboard's vendored chart library, uPlot, in src/Nabla.Dashboard/wwwroot/ from the npm registry:
# the pinned version's tarball, refused unless its sha512 is the one pinned here, then its minified script, its
# stylesheet and its licence copied as they are. The files are committed, so building never needs npm and the
# page never needs a CDN. To move to another version, change both pins (the registry's "integrity" of the new
# version: npm view uplot@VERSION dist.integrity), run this, and look at the page.
set -euo pipefail
version="1.6.32"
integrity="sha512-KIMVnG68zvu5XXUbC4LQEPnhwOxBuLyW1AHtpm6IKTXImkbLgkMy+jabjLgSLMasNuGGzQm/ep3tOkyTxpiQIw=="

cd "$(dirname "$0")/../.."
destination="src/Nabla.Dashboard/wwwroot"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

tarball="$(cd "$work" && npm pack --silent "uplot@$version")"
actual="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
if [[ "$actual" != "$integrity" ]]; then
  echo "update-uplot.sh: uplot@$version's tarball has integrity $actual, but $integrity is pinned; nothing was copied." >&2
  exit 1
fi
tar -xzf "$work/$tarball" -C "$work"
cp "$work/package/dist/uPlot.iife.min.js" "$destination/uPlot.iife.min.js"
cp "$work/package/dist/uPlot.min.css" "$destination/uPlot.min.css"
cp "$work/package/LICENSE" "$destination/LICENSE-uPlot"
echo "uPlot $version copied to $destination/"
