#!/usr/bin/env bash
# fetch.sh copies the workbench's third-party browser assets from the npm
# registry, at pinned versions, into this folder, where go:embed puts them
# into the binary. Run it only to change a version; its output is committed,
# so that neither users nor CI ever need Node or the network.
#
#   bash server/web/assets/fetch.sh
#
# Needs npm (for `npm pack`) and tar. Each tarball's integrity is checked by
# npm against the registry's published hash.
set -euo pipefail

HTMX_VERSION=2.0.11
ECHARTS_VERSION=6.1.0

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fetch() { # package version → unpacked in $tmp/<package>/package
	local pkg="$1" version="$2"
	mkdir -p "$tmp/$pkg"
	(cd "$tmp/$pkg" && npm pack --silent "$pkg@$version" >/dev/null && tar -xzf ./*.tgz)
}

fetch htmx.org "$HTMX_VERSION"
fetch echarts "$ECHARTS_VERSION"

mkdir -p "$here/vendor"
cp "$tmp/htmx.org/package/dist/htmx.min.js" "$here/vendor/htmx.min.js"
cp "$tmp/htmx.org/package/LICENSE" "$here/vendor/htmx.LICENSE"
cp "$tmp/echarts/package/dist/echarts.min.js" "$here/vendor/echarts.min.js"
cp "$tmp/echarts/package/LICENSE" "$here/vendor/echarts.LICENSE"
cp "$tmp/echarts/package/NOTICE" "$here/vendor/echarts.NOTICE"
cat >"$here/vendor/VERSIONS" <<VERSIONS
htmx.org $HTMX_VERSION
echarts $ECHARTS_VERSION
VERSIONS
echo "copied htmx.org $HTMX_VERSION and echarts $ECHARTS_VERSION into $here/vendor"
