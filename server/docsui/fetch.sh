#!/usr/bin/env bash
# fetch.sh copies the /docs page's viewer (swagger-ui-dist) from the npm
# registry, at a pinned version, into this folder, where go:embed puts it
# into the binary. Run it only to change the version; its output is
# committed, so that neither users nor CI ever need Node or the network.
#
#   bash server/docsui/fetch.sh
#
# Needs npm (for `npm pack`) and tar. The tarball's integrity is checked by
# npm against the registry's published hash.
set -euo pipefail

SWAGGER_UI_VERSION=5.35.0

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "swagger-ui-dist@$SWAGGER_UI_VERSION" >/dev/null && tar -xzf ./*.tgz)

mkdir -p "$here/vendor"
cp "$tmp/package/swagger-ui-bundle.js" "$here/vendor/swagger-ui-bundle.js"
cp "$tmp/package/swagger-ui.css" "$here/vendor/swagger-ui.css"
cp "$tmp/package/LICENSE" "$here/vendor/swagger-ui.LICENSE"
if [ -f "$tmp/package/NOTICE" ]; then cp "$tmp/package/NOTICE" "$here/vendor/swagger-ui.NOTICE"; fi
cat >"$here/vendor/VERSIONS" <<VERSIONS
swagger-ui-dist $SWAGGER_UI_VERSION
VERSIONS
echo "copied swagger-ui-dist $SWAGGER_UI_VERSION into $here/vendor"
